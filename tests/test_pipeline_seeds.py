"""The whole flow on the five seed reports: the CLI end to end against the reference reading, incremental
analysis keeping event ids, exports, and a run that adds reports later joining existing events."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rashomon.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
SCORER = SHARED / "tools" / "score_seeds.py"
BUNDLED = Path(__file__).resolve().parents[1] / "rashomon" / "samples" / "seeds"
CLI = [sys.executable, "-c", "from rashomon.cli import main; main()"]


def rashomon(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "seeds.duckdb"
    done = rashomon("analyze", str(BUNDLED), "--db", str(db), "-q")
    assert done.returncode == 0, done.stderr
    return db


def records(db: Path) -> list[dict]:
    done = rashomon("events", "--db", str(db), "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/tools/score_seeds.py is not on this machine")
def test_cli_on_the_seeds_holds_every_check_of_the_reference_reading(seeds_db, tmp_path):
    out = tmp_path / "events.jsonl"
    done = rashomon("events", "--db", str(seeds_db), "--format", "jsonl", "--out", str(out))
    assert done.returncode == 0, done.stderr
    scored = subprocess.run([sys.executable, str(SCORER), str(out)], capture_output=True, text=True)
    assert scored.returncode == 0, scored.stdout
    assert "seeds: " in scored.stdout


def su25(recs: list[dict]) -> dict:
    found = [
        r
        for r in recs
        if r["sub_event_type"] == "Armed clash"
        and r["date"] == "2018-02-03"
        and any("jet" in m["sentence"] or "Su-25" in m["sentence"] for m in r["mentions"])
    ]
    assert len(found) == 1
    return found[0]


def test_the_su25_record_shows_both_places_with_their_sources(seeds_db):
    ev = su25(records(seeds_db))
    places = {c["value"]["name"]: c for c in ev["claims"]["location"]}
    assert "Saraqib" in places and any(name.startswith("Ma'arrat") for name in places)
    assert "location" in ev["conflicts"] and "actor1" in ev["conflicts"]
    assert ev["actor2"]["name"] == "Military Forces of Russia"
    assert ev["fatalities"] == {"best": 1, "low": 1, "high": 1}
    assert len({m["doc_id"] for m in ev["mentions"]}) == 3
    # every mention points at its sentence in the stored text
    with Store.open(seeds_db, read_only=True) as store:
        for m in ev["mentions"]:
            text = store.document(m["doc_id"])["text"]
            assert text[m["start"] : m["end"]] == m["sentence"]


def test_reused_wire_copy_counts_once(seeds_db):
    ev = su25(records(seeds_db))
    docs = {c["label"]: c for c in ev["claims"]["fatalities"]}
    claim = next(iter(docs.values()))
    # 000 and 002 carry the same AP sentence; with 001 that is at most two independent sources of the toll
    assert claim["support"] <= len(claim["doc_ids"])


def test_undated_reports_get_no_invented_dates(seeds_db):
    for ev in records(seeds_db):
        if ev["date"] is not None:
            assert "2015-01-01" <= ev["date"] <= "2020-03-31"


def test_exports_csv_and_geojson_carry_every_event(seeds_db, tmp_path):
    recs = records(seeds_db)
    done = rashomon("events", "--db", str(seeds_db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == len(recs) and {"event_date", "sub_event_type", "latitude", "fatalities"} <= set(
        rows[0]
    )
    done = rashomon("events", "--db", str(seeds_db), "--format", "geojson")
    features = json.loads(done.stdout)["features"]
    assert len(features) == sum(1 for r in recs if (r["location"] or {}).get("lat") is not None)


def test_show_and_mentions_and_stories(seeds_db):
    ev = su25(records(seeds_db))
    shown = rashomon("show", ev["id"], "--db", str(seeds_db))
    assert shown.returncode == 0 and "Saraqib" in shown.stdout and "sources disagree" in shown.stdout
    assert rashomon("show", "ev-nope", "--db", str(seeds_db)).returncode != 0
    doc_id = ev["mentions"][0]["doc_id"]
    listed = rashomon("mentions", doc_id, "--db", str(seeds_db))
    assert listed.returncode == 0 and "Armed clash" in listed.stdout
    stories = [
        json.loads(x)
        for x in rashomon("stories", "--db", str(seeds_db), "--format", "jsonl").stdout.splitlines()
    ]
    all_docs = [d for s in stories for d in s["doc_ids"]]
    assert len(all_docs) == len(set(all_docs)) == 5  # every document in exactly one story
    story_of = {d: s["id"] for s in stories for d in s["doc_ids"]}
    su25_docs = {m["doc_id"] for m in ev["mentions"]}
    assert len({story_of[d] for d in su25_docs}) == 1


def test_later_reports_join_existing_events_and_ids_stay(tmp_path):
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    files = sorted(BUNDLED.glob("*.txt"))
    shutil.copy(files[0], first)
    for f in files[1:]:
        shutil.copy(f, later)
    db = tmp_path / "inc.duckdb"
    assert rashomon("analyze", str(first), "--db", str(db), "-q").returncode == 0
    before = {r["id"]: r for r in records(db)}
    assert rashomon("analyze", str(first), str(later), "--db", str(db), "-q").returncode == 0
    after = {r["id"]: r for r in records(db)}
    assert set(before) <= set(after)  # no event of the first run lost or renamed
    ev = su25(list(after.values()))
    assert ev["id"] in before and len({m["doc_id"] for m in ev["mentions"]}) == 3
    # analysing everything again adds nothing
    assert rashomon("analyze", str(first), str(later), "--db", str(db), "-q").returncode == 0
    assert {r["id"] for r in records(db)} == set(after)


def test_demo_prints_the_seed_events():
    done = rashomon("demo")
    assert done.returncode == 0, done.stderr
    assert "Armed clash" in done.stdout and "Air/drone strike" in done.stdout
    assert "sources disagree" in done.stdout
