"""Events across outlets: reports of one incident merged, neighbouring incidents apart, disagreements shown.

usage: python bench/events_multi.py [--data bench/data/multi_outlet_dev.jsonl] [--errors]

Data: `bench/data/multi_outlet_dev.jsonl`, 55 reports written for this project (invented incidents set in
real Syrian places, actors and outlets): 14 incidents told by 2-4 outlets each, which disagree on the toll,
the perpetrator, the place or the date for 11 of them, and 14 single reports of other incidents on the
same or the next day in the same province (an air strike and a clash near one town on one day, two car
bombs in one province). Each line carries the report (`id, outlet, published, title, text`) and its gold
`incident`, type, day, place and the fields its outlets `disagree` on.

The file is analysed as a user would (`rashomon.pipeline.analyze` into a temporary database). Each report
is then put in one event, its main one: among the events citing it, one of the gold type if any, the one
citing most reports, then the one with most of its mentions. Printed: B-cubed precision, recall and F1 of
those events against the gold incidents (one event per report would give the baseline printed beside
it), and for the incidents whose outlets disagree, the share whose event names at least one of the gold
fields in `conflicts` (and all of them). `--errors` lists the incidents split or merged and the
disagreements missed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from records_dev import analyzed, citing  # noqa: E402
from stories_ecb import bcubed  # noqa: E402

DEFAULT = Path(__file__).resolve().parent / "data" / "multi_outlet_dev.jsonl"


def main_events(rows: list[dict], events: list[dict]) -> dict[str, dict | None]:
    by_report = citing(events)
    out = {}
    for r in rows:
        cands = by_report.get(r["id"], [])
        if not cands:
            out[r["id"]] = None
            continue

        def rank(ev, r=r):
            docs = {m["doc_id"] for m in ev["mentions"]}
            own = sum(1 for m in ev["mentions"] if m["doc_id"] == r["id"])
            return (ev["sub_event_type"] == r["sub_event_type"], len(docs), own, ev["id"])

        out[r["id"]] = max(cands, key=rank)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    fields = ("id", "outlet", "published", "title", "text")
    events, elapsed = analyzed([{k: r[k] for k in fields} for r in rows])

    chosen = main_events(rows, events)
    gold = {r["id"]: r["incident"] for r in rows}
    predicted = {doc: (ev["id"] if ev else "none:" + doc) for doc, ev in chosen.items()}
    p, r, f = bcubed(predicted, gold)
    _, _, f_single = bcubed({doc: doc for doc in gold}, gold)
    incidents = sorted(set(gold.values()))
    print(f"reports {len(rows)}  incidents {len(incidents)}  events {len(events)}  analyze {elapsed:.1f}s")
    print(f"event B-cubed precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  "
          f"(one event per report: F1 {f_single:.3f})")

    by_incident: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_incident[row["incident"]].append(row)
    disputed = [i for i in incidents if by_incident[i][0]["disagree"]]
    any_hit = all_hit = 0
    missed = []
    for inc in disputed:
        fields = set(by_incident[inc][0]["disagree"])
        evs = {chosen[row["id"]]["id"]: chosen[row["id"]] for row in by_incident[inc] if chosen[row["id"]]}
        flagged = set().union(*(set(e["conflicts"]) for e in evs.values())) if evs else set()
        any_hit += bool(fields & flagged)
        all_hit += fields <= flagged
        if not fields & flagged:
            missed.append((inc, sorted(fields), sorted(flagged)))
    print(f"incidents whose outlets disagree: {len(disputed)}; flagged (a gold field in conflicts): "
          f"{any_hit}/{len(disputed)} = {any_hit / max(1, len(disputed)):.2f}; every gold field: "
          f"{all_hit}/{len(disputed)}")

    if args.errors:
        for inc in incidents:
            evs = {chosen[row["id"]]["id"] if chosen[row["id"]] else None for row in by_incident[inc]}
            if len(evs) > 1 or None in evs:
                split = [(row["id"], (chosen[row["id"]] or {}).get("id")) for row in by_incident[inc]]
                print(f"- split {inc}: {split}")
        owners: dict[str, set[str]] = defaultdict(set)
        for doc, ev in chosen.items():
            if ev:
                owners[ev["id"]].add(gold[doc])
        for ev_id, incs in owners.items():
            if len(incs) > 1:
                print(f"- merged {ev_id}: {sorted(incs)}")
        for inc, fields, flagged in missed:
            print(f"- disagreement missed {inc}: gold {fields}, conflicts {flagged}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
