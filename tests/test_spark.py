"""The Spark path (Spark local mode, local[2]) against the local path: the same events, stories and
repeats on the bundled seed reports and on a few hundred FA-KES articles; its tables load into DuckDB and
the usual commands work on them."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from importlib import resources
from pathlib import Path

import pytest

from rashomon.pipeline import analyze
from rashomon.spark.compare import differences
from rashomon.store import Store
from rashomon.store.parquet import load_parquet

pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (pip install 'rashomon[spark]')")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java (the Spark path needs Java 17+; .ci/run installs it)", allow_module_level=True)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FAKES = SHARED / "data" / "fa-kes-syria-articles.csv"
FAKES_ROWS = 250
CLI = [sys.executable, "-c", "from rashomon.cli import main; main()"]


def rashomon(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def spark():
    from rashomon.spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def seeds_jsonl(path: Path) -> Path:
    folder = resources.files("rashomon.samples").joinpath("seeds")
    with path.open("w", encoding="utf-8") as out:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".txt"):
                out.write(json.dumps({"text": entry.read_text("utf-8")}) + "\n")
    return path


def fakes_jsonl(path: Path, rows: int) -> Path:
    with FAKES.open(encoding="latin-1", newline="") as handle:
        found = list(csv.DictReader(handle))[:rows]
    with path.open("w", encoding="utf-8") as out:
        for r in found:
            day = datetime.strptime(r["date"], "%m/%d/%Y").date().isoformat()
            record = {"id": f"fakes-{r['unit_id']}", "title": r["article_title"],
                      "text": r["article_content"], "published": day, "outlet": r["source"]}
            out.write(json.dumps(record) + "\n")
    return path


def both_paths(spark, jsonl: Path, tmp: Path) -> tuple[Store, Store]:
    """The local path's store and the Spark path's (loaded from its Parquet tables)."""
    from rashomon.spark.job import run

    local = Store.open(tmp / "local.duckdb")
    analyze([str(jsonl)], local, progress=False)
    report = run(spark, [str(jsonl)], str(tmp / "out"))
    assert not report.problems
    assert not any(p.name.startswith(".out.tmp") for p in tmp.iterdir())  # the temporary folder is gone
    loaded = Store.open(tmp / "spark.duckdb")
    load_parquet(loaded, tmp / "out")
    return local, loaded


def stories(store: Store) -> list[tuple]:
    return sorted((r["id"], r["title"], r["start_date"], r["end_date"], tuple(r["doc_ids"]),
                   tuple(r["event_ids"])) for r in store.story_rows())


def repeats(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT d.id, d.seq, d.duplicate_of, s.idx, s.reused_doc, s.reused_idx FROM documents d "
        "JOIN sentences s ON s.doc_id = d.id ORDER BY d.id, s.idx").fetchall()


def repeat_index(store: Store) -> tuple[list[tuple], list[tuple]]:
    """What later runs look repeats up in: the sentences under each band key, the word keys seen."""
    return (store.con.execute("SELECT band_key, doc_id, idx FROM sentence_bands ORDER BY ALL").fetchall(),
            store.con.execute("SELECT words_key FROM sentence_words ORDER BY ALL").fetchall())


def test_seeds_give_the_same_records_on_both_paths_and_load_for_the_usual_commands(spark, tmp_path):
    local, loaded = both_paths(spark, seeds_jsonl(tmp_path / "seeds.jsonl"), tmp_path)
    with local, loaded:
        mine, theirs = local.event_records(), loaded.event_records()
        assert len(mine) > 5
        assert differences(mine, theirs) == ""
        assert mine == theirs  # whole records: claims, sources, summaries, confidence, stories
        assert stories(local) == stories(loaded)
        assert repeats(local) == repeats(loaded)
        assert repeat_index(local) == repeat_index(loaded)
        assert local.mentions() == loaded.mentions()
        disputed = next(r["id"] for r in theirs if r["conflicts"])
    db = str(tmp_path / "spark.duckdb")
    listed = rashomon("events", "--db", db, "--format", "jsonl")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == len(mine)
    shown = rashomon("show", disputed, "--db", db)
    assert shown.returncode == 0 and disputed in shown.stdout, shown.stderr
    # a later local run adds to the loaded database: the documents it has are not added again
    again = rashomon("analyze", str(tmp_path / "seeds.jsonl"), "--db", db, "-q")
    assert again.returncode == 0 and "0 documents added (5 already stored" in again.stderr, again.stderr


@pytest.mark.skipif(not FAKES.exists(), reason="../shared/data/fa-kes-syria-articles.csv is not here")
def test_fakes_articles_give_the_same_events_on_both_paths(spark, tmp_path):
    local, loaded = both_paths(spark, fakes_jsonl(tmp_path / "fakes.jsonl", FAKES_ROWS), tmp_path)
    with local, loaded:
        mine, theirs = local.event_records(), loaded.event_records()
        assert len(mine) > 500
        assert differences(mine, theirs) == ""
        assert mine == theirs
        assert stories(local) == stories(loaded)
        assert repeats(local) == repeats(loaded)
        assert repeat_index(local) == repeat_index(loaded)
        assert local.count("mentions") == loaded.count("mentions")


@pytest.mark.skipif(not FAKES.exists(), reason="../shared/data/fa-kes-syria-articles.csv is not here")
def test_full_band_keys_are_drawn_alike_on_both_paths(spark, tmp_path, monkeypatch):
    # with room for 3 sentences a key, many keys fill up: the local path fills them one sentence at a time,
    # the Spark path draws them at once with a window
    from rashomon.ingest import dedup
    from rashomon.spark import job

    monkeypatch.setattr(dedup, "BAND_CAP", 3)
    monkeypatch.setattr(job, "BAND_CAP", 3)
    # and partitions sized by the reports: 15 here instead of the session's 4, the same results
    monkeypatch.setattr(job, "DOCS_PER_PARTITION", 10)
    before = spark.conf.get("spark.sql.shuffle.partitions")
    local, loaded = both_paths(spark, fakes_jsonl(tmp_path / "fakes.jsonl", 150), tmp_path)
    assert spark.conf.get("spark.sql.shuffle.partitions") == before  # the session's setting put back
    with local, loaded:
        full = local.con.execute("SELECT count(*) FROM (SELECT band_key FROM sentence_bands GROUP BY 1 "
                                 "HAVING count(*) = 3)").fetchone()[0]
        over = local.con.execute("SELECT count(*) FROM (SELECT band_key FROM sentence_bands GROUP BY 1 "
                                 "HAVING count(*) > 3)").fetchone()[0]
        assert full > 20 and over == 0
        assert repeats(local) == repeats(loaded)
        assert repeat_index(local) == repeat_index(loaded)
        assert local.event_records() == loaded.event_records()


def test_the_output_is_refused_when_it_exists_and_the_input_when_it_is_missing(spark, tmp_path):
    from rashomon.spark.job import SparkInputError, run

    (tmp_path / "out").mkdir()
    with pytest.raises(SparkInputError, match="exists"):
        run(spark, [str(seeds_jsonl(tmp_path / "s.jsonl"))], str(tmp_path / "out"))
    with pytest.raises(SparkInputError, match="no such file"):
        run(spark, [str(tmp_path / "missing.jsonl")], str(tmp_path / "out2"))
    assert not (tmp_path / "out2").exists()


def test_without_java_the_command_says_what_is_missing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "PYSPARK_GATEWAY_PORT")}
    env["PATH"] = str(tmp_path)  # no java on it
    done = rashomon("spark", "run", str(seeds_jsonl(tmp_path / "s.jsonl")), str(tmp_path / "out"), env=env)
    assert done.returncode == 1
    assert "needs Java 17" in done.stderr and "Traceback" not in done.stderr


def test_running_out_of_java_heap_is_told_with_what_to_set(spark):
    from rashomon.spark import HEAP_ADVICE, out_of_heap

    jvm = spark.sparkContext._jvm
    with pytest.raises(Exception) as found:  # a real OutOfMemoryError, as Py4J passes it on
        jvm.java.lang.reflect.Array.newInstance(jvm.java.lang.Long.TYPE, 2**31 - 16)
    assert out_of_heap(found.value)
    assert not out_of_heap(ValueError("no such file"))
    assert "RASHOMON_SPARK_DRIVER_MEMORY" in HEAP_ADVICE
    assert spark.range(3).count() == 3  # the session is still usable
