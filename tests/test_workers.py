"""`rashomon analyze --workers 1` and `--workers 2` give the same events, stories and repeat links, and so do
other batch sizes: the events depend only on the order of the reports."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest

from rashomon import pipeline
from rashomon.pipeline import analyze
from rashomon.spark.compare import differences
from rashomon.store import Store

FAKES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fa-kes-syria-articles.csv"


@pytest.mark.skipif(not FAKES.exists(), reason="../shared/data/fa-kes-syria-articles.csv is not here")
def test_one_worker_and_two_give_the_same_events(tmp_path, monkeypatch):
    with FAKES.open(encoding="latin-1", newline="") as handle:
        rows = list(csv.DictReader(handle))[300:420]
    jsonl = tmp_path / "fakes.jsonl"
    records = [{"id": f"fakes-{r['unit_id']}", "title": r["article_title"], "text": r["article_content"],
                "published": datetime.strptime(r["date"], "%m/%d/%Y").date().isoformat(),
                "outlet": r["source"]} for r in rows]
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
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
