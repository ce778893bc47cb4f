"""Starting Spark: clear messages when PySpark or Java is missing, local-mode settings that fit a laptop."""

from __future__ import annotations

import os
import shutil
import sys

# local mode's one JVM (driver and executors): its heap is most of the Spark path's memory, the cached
# stages spill to disk past it (bench/scale.py at 10k: peak 2.79 GB with 1g, 2.51 GB with 768m, as fast)
DRIVER_MEMORY = "768m"


class SparkUnavailable(RuntimeError):
    pass


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


def require_pyspark():
    try:
        import pyspark
    except ImportError as err:
        raise SparkUnavailable(
            "the Spark path needs PySpark: pip install 'rashomon[spark]' (PySpark 4.0, which also needs "
            "Java 17 or later, e.g. Debian's openjdk-17-jre-headless)"
        ) from err
    return pyspark


def spark_session(master: str | None = None, *, app: str = "rashomon", shuffle_partitions: int | None = None):
    """The active session (under spark-submit) or a new one on `master` (default: local[*])."""
    require_pyspark()
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    conf = SparkConf()  # under spark-submit this holds its --master and --conf settings
    if not os.environ.get("PYSPARK_GATEWAY_PORT") and _java() is None:
        raise SparkUnavailable(
            "the Spark path needs Java 17 or later and found none (no 'java' on PATH, no JAVA_HOME); on "
            "Debian: apt-get install openjdk-17-jre-headless"
        )
    master = master or conf.get("spark.master", None) or "local[*]"
    local = master.startswith("local")
    if shuffle_partitions is None:
        threads = master[len("local["):-1] if master.startswith("local[") else "1"
        cores = (os.cpu_count() or 1) if threads in ("*", "") else int(threads.split(",")[0])
        shuffle_partitions = 2 * cores
    if local:
        # the Python workers run this interpreter, so they see the same rashomon and spaCy model
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app).master(master)
    if local:
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.driver.memory", os.environ.get("RASHOMON_SPARK_DRIVER_MEMORY", DRIVER_MEMORY))
            .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
            .config("spark.default.parallelism", str(shuffle_partitions))
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.python.worker.reuse", "true")  # the spaCy model is loaded once per worker
            # the serial collector: on a laptop's few cores G1's concurrent threads compete with the Python
            # workers (bench/scale.py at 50k: the repeats stage, all in the JVM, 675 s -> 472 s)
            .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC")
        )
    try:
        spark = builder.getOrCreate()
    except Exception as err:  # the JVM did not start: say so plainly
        raise SparkUnavailable(f"Spark could not start ({type(err).__name__}: {err})") from err
    spark.sparkContext.setLogLevel("ERROR")
    return spark
