"""The Spark path: `rashomon analyze` on PySpark, for corpora beyond one machine (see job.py).

It reads JSONL or Parquet from any Spark-readable path and writes Parquet tables (documents, mentions,
events, claims, stories) that `rashomon spark load` puts into a DuckDB file. The events are those the local
path gives on the same input in the same order (tests/test_spark.py).

Run it with `rashomon spark run INPUT... OUTPUT [--master URL]`, or under spark-submit with this package
installed on the driver and the executors:

    spark-submit --master yarn "$(python -c 'import rashomon.spark.submit as m; print(m.__file__)')" \\
        hdfs:///news/2018/ hdfs:///rashomon/2018-out

This is a driver over the stages: it imports ingest, extract, resolve, fuse and store; none of them
imports it.
"""

from __future__ import annotations

from rashomon.spark.session import DRIVER_MEMORY, SparkUnavailable, spark_session

__all__ = ["SparkOutOfMemory", "SparkUnavailable", "run", "spark_session"]

HEAP_ADVICE = (
    "Spark ran out of Java heap. Give it more: in local mode the executors share the driver's heap, set "
    f"by RASHOMON_SPARK_DRIVER_MEMORY ({DRIVER_MEMORY} by default, enough for 50,000 reports of "
    "bench/scale.py; e.g. RASHOMON_SPARK_DRIVER_MEMORY=4g rashomon spark run ...); on a cluster, "
    "spark.executor.memory and spark.driver.memory (spark-submit --conf). Nothing was written to the output "
    "folder."
)


class SparkOutOfMemory(RuntimeError):
    pass


def run(inputs: list[str], output: str, *, master: str | None = None, partitions: int | None = None,
        overwrite: bool = False, log=None):
    """Start (or join) a Spark session and run the job; returns its `SparkReport`."""
    spark = spark_session(master)
    from rashomon.spark.job import run as run_job

    try:
        return run_job(spark, list(inputs), output, partitions=partitions, overwrite=overwrite, log=log)
    except Exception as err:
        if not out_of_heap(err):
            raise
        raise SparkOutOfMemory(HEAP_ADVICE) from err


def out_of_heap(err: BaseException) -> bool:
    """Did the JVM run out of heap? Py4J passes it on as a Java stack trace inside its error's text."""
    return "java.lang.OutOfMemoryError" in str(err)
