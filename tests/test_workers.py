"""`rashomon analyze --workers 1` and `--workers 2` give the same events, stories and repeat links, and so do
other batch sizes: the events depend only on the order of the reports."""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rashomon import pipeline
from rashomon.api import create_app
from rashomon.pipeline import analyze
from rashomon.spark.compare import differences
from rashomon.store import Store

FAKES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fa-kes-syria-articles.csv"


def _fakes_jsonl(path: Path, rows: slice) -> Path:
    with FAKES.open(encoding="latin-1", newline="") as handle:
        chosen = list(csv.DictReader(handle))[rows]
    records = [{"id": f"fakes-{r['unit_id']}", "title": r["article_title"], "text": r["article_content"],
                "published": datetime.strptime(r["date"], "%m/%d/%Y").date().isoformat(),
                "outlet": r["source"]} for r in chosen]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.skipif(not FAKES.exists(), reason="../shared/data/fa-kes-syria-articles.csv is not here")
def test_one_worker_and_two_give_the_same_events(tmp_path, monkeypatch):
    jsonl = _fakes_jsonl(tmp_path / "fakes.jsonl", slice(300, 420))
    found = {}
    for workers, batch in ((1, 50), (2, pipeline.BATCH_DOCS)):  # three batches against two
        monkeypatch.setattr(pipeline, "BATCH_DOCS", batch)
        with Store.open(tmp_path / f"w{workers}.duckdb") as store:
            analyze([str(jsonl)], store, progress=False, workers=workers)
            found[workers] = (store.event_records(), store.story_rows(), store.mentions())
    (one, one_stories, one_mentions), (two, two_stories, two_mentions) = found[1], found[2]
    assert len(one) > 200
    assert differences(one, two) == ""
    assert one == two
    assert [(s["id"], s["doc_ids"]) for s in one_stories] == [(s["id"], s["doc_ids"]) for s in two_stories]
    assert one_mentions == two_mentions


ECB = FAKES.parent / "ecbplus-dev-topics-1-22.jsonl"
# Extract and resolve the ECB+ documents of two topics and print each mention's stored row: a child process,
# so that its string hashing (PYTHONHASHSEED) is its own, as a worker's is.
MENTIONS_OF_ECB = """
import json, sys
from rashomon.ingest import build_document
from rashomon.ingest.readers import report_from_record
from rashomon.pipeline import extract_and_resolve
from rashomon.store import mention_row
docs = []
for n, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    r = json.loads(line)
    if r["topic"] in (21, 22):
        record = {"id": r["doc"], "text": r["text"], "published": "2016-05-01"}
        docs.append(build_document(report_from_record(record, "ecb", f"ecb:{n}")))
for m in (m for found in extract_and_resolve(docs) for m in found):
    print(json.dumps(mention_row(m), sort_keys=True, default=str))
"""


@pytest.mark.skipif(not ECB.exists(), reason="../shared/data/ecbplus-dev-topics-1-22.jsonl is not here")
def test_mentions_do_not_depend_on_the_worker_process():
    """Each worker process hashes strings with a seed of its own: nothing extraction or resolution decides
    may follow the order of a set of strings (a report's country once did, on a tie between the countries
    its places name, and with it the country of its civilians)."""
    found = set()
    for seed in ("0", "1", "2"):
        done = subprocess.run([sys.executable, "-c", MENTIONS_OF_ECB, str(ECB)], capture_output=True,
                              text=True, timeout=600, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.count("\n") > 50
        found.add(done.stdout)
    assert len(found) == 1


# Free 80 MB of heap below a block still in use (glibc cannot trim it by itself), then print by how many MB
# the resident set shrank when the extraction stage gives free memory back: a child process, whose heap is
# its own.
FREED_HEAP = """
import os, sys
from rashomon.nlp import release_free_memory
def resident(): return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
blocks = [bytearray(4096) for _ in range(20_000)]
pin = bytearray(4096)
del blocks
before = resident()
if sys.argv[1] == "release":
    release_free_memory()
print((before - resident()) // 2**20)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_a_worker_gives_freed_heap_back_after_each_chunk():
    """spaCy's freed batch arrays stay in a worker's heap unless trimmed (bench/scale.py's peak memory)."""
    shrank = {}
    for mode in ("release", "keep"):
        done = subprocess.run([sys.executable, "-c", FREED_HEAP, mode], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        shrank[mode] = int(done.stdout)
    assert shrank["release"] >= 60 > shrank["keep"] + 40


@pytest.mark.skipif(not FAKES.exists(), reason="../shared/data/fa-kes-syria-articles.csv is not here")
def test_events_let_go_between_batches_or_runs_are_read_back_alike(tmp_path, monkeypatch):
    """The events held in memory from batch to batch are bounded: with room for a handful of members they
    are let go and read back from the database as later mentions need them, and a second run reads the first
    run's; neither changes an event."""
    whole = _fakes_jsonl(tmp_path / "all.jsonl", slice(420, 540))
    first = _fakes_jsonl(tmp_path / "first.jsonl", slice(420, 490))
    second = _fakes_jsonl(tmp_path / "second.jsonl", slice(490, 540))
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 20)
    with Store.open(tmp_path / "held.duckdb") as store:
        analyze([str(whole)], store, progress=False, workers=1)
        held = store.event_records()
    monkeypatch.setattr(pipeline, "EVENT_MEMBERS", 10)
    with Store.open(tmp_path / "let-go.duckdb") as store:
        analyze([str(first)], store, progress=False, workers=1)
        analyze([str(second)], store, progress=False, workers=1)
        let_go = store.event_records()
    assert len(held) > 200
    assert any(len(r["mentions"]) > 1 and len({m["doc_id"] for m in r["mentions"]}) > 1 for r in held)
    assert differences(held, let_go) == ""

    def unsourced(records):  # the two runs read other files
        return [{**r, "mentions": [{k: v for k, v in m.items() if k != "source"} for m in r["mentions"]]}
                for r in records]

    assert unsourced(held) == unsourced(let_go)


@pytest.mark.skipif(not FAKES.exists(), reason="../shared/data/fa-kes-syria-articles.csv is not here")
def test_records_left_to_lag_during_the_run_end_as_if_rewritten_every_batch(tmp_path, monkeypatch):
    """A big event's record is rewritten only now and then during a run, and every lagging one at its end:
    with every event past its first record left to lag, the records come out as with the default."""
    jsonl = _fakes_jsonl(tmp_path / "fakes.jsonl", slice(540, 660))
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 20)
    with Store.open(tmp_path / "default.duckdb") as store:
        analyze([str(jsonl)], store, progress=False, workers=1)
        default = store.event_records()
    monkeypatch.setattr(pipeline, "REFRESH_MEMBERS", 0)
    monkeypatch.setattr(pipeline, "REFRESH_GROWTH", 1000.0)
    monkeypatch.setattr(pipeline, "REFRESH_CHUNK", 7)  # several transactions at the end
    with Store.open(tmp_path / "lagging.duckdb") as store:
        report = analyze([str(jsonl)], store, progress=False, workers=1)
        lagging = store.event_records()
        assert store.stale_events() == []
    assert report.refreshed > 7
    assert len(default) > 100
    assert differences(default, lagging) == ""
    assert default == lagging


@pytest.mark.skipif(not FAKES.exists(), reason="../shared/data/fa-kes-syria-articles.csv is not here")
def test_a_stale_record_left_by_a_killed_run_is_rewritten_by_the_next(tmp_path):
    jsonl, db = _fakes_jsonl(tmp_path / "fakes.jsonl", slice(0, 30)), tmp_path / "killed.duckdb"
    with Store.open(db) as store:
        analyze([str(jsonl)], store, progress=False, workers=1)
        records = store.event_records()
        told_twice = next(r for r in records if len(r["mentions"]) > 1)
        # what a run killed between two rewrites leaves: a record from fewer members, its id kept as stale
        with store.transaction():
            store.save_events([{**told_twice, "mentions": told_twice["mentions"][:1], "confidence": 0.01}])
            store.mark_stale([told_twice["id"]])
        assert store.event_record(told_twice["id"]) != told_twice
    listed = subprocess.run([sys.executable, "-m", "rashomon.cli", "events", "--db", str(db)],
                            capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0, listed.stderr
    assert "1 event record(s) do not yet count every report" in listed.stderr
    with TestClient(create_app(str(db))) as client:  # what `serve` and its page say
        assert client.get("/api/summary").json()["stale"] == 1
    with Store.open(db) as store:
        report = analyze([str(jsonl)], store, progress=False, workers=1)
        assert (report.added, report.refreshed) == (0, 1)
        assert store.stale_events() == []
        assert store.event_records() == records
    with TestClient(create_app(str(db))) as client:
        assert client.get("/api/summary").json()["stale"] == 0
