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

from rashomon.spark.session import SparkUnavailable, spark_session

__all__ = ["SparkUnavailable", "run", "spark_session"]


def run(inputs: list[str], output: str, *, master: str | None = None, partitions: int | None = None,
        overwrite: bool = False, log=None):
    """Start (or join) a Spark session and run the job; returns its `SparkReport`."""
    spark = spark_session(master)
    from rashomon.spark.job import run as run_job

    return run_job(spark, list(inputs), output, partitions=partitions, overwrite=overwrite, log=log)
