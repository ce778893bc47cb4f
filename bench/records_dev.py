"""Event records, not mentions, scored on labelled texts (bench/data/dev_snippets.jsonl or any file of that
format): what an analyst gets from `rashomon analyze`.

usage: python bench/records_dev.py [--data FILE] [--style note|snippet|report] [--published DATE] [--errors N]

Every text becomes one report of a JSONL file (its `id`; no publication date unless `--published DATE`
gives every text one: the texts are of many years, and an incident dated long before its report is
background), and the whole file goes through `rashomon.pipeline.analyze` into a temporary database, as a
user would run it. Each text is then answered by the events that cite it, chosen as
`../shared/tools/score_seeds.py` chooses: among the events citing the text, the one that passes the most of
the text's checks (type, sub-event type, killed count when the text states one). Its sub-event type (or
'none' when no event cites the text) and its `fatalities.best` are compared with the gold labels.

Printed: sub-event weighted F1 and accuracy (overall and per style), the 'none' false-positive rate (no-event
texts cited by some event), events per text, and the killed count exact on notes (a gold 'not stated' is
0, as ACLED codes it; the record's `best` is 0 when it has no toll). `--errors N` prints N texts whose
record is wrong on type or toll, with what each citing event says.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_dev import DEFAULT_DATA, NONE, STYLES, accuracy, load, weighted_f1  # noqa: E402

from rashomon.pipeline import analyze  # noqa: E402
from rashomon.store import Store  # noqa: E402


def analyzed(reports: list[dict]) -> tuple[list[dict], float]:
    """Event records of `rashomon.pipeline.analyze` on these reports (one JSONL file in a temporary
    database), and the seconds it took."""
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "reports.jsonl"
        feed.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
        with Store.open(Path(tmp) / "reports.duckdb") as store:
            started = time.perf_counter()
            analyze([str(feed)], store, progress=False)
            elapsed = time.perf_counter() - started
            return store.event_records(), elapsed


def citing(events: list[dict]) -> dict[str, list[dict]]:
    """Report id -> the events whose mentions cite it."""
    out: dict[str, list[dict]] = defaultdict(list)
    for ev in events:
        for doc in {m["doc_id"] for m in ev.get("mentions") or []}:
            out[doc].append(ev)
    return out


def checks(event: dict, item: dict) -> int:
    """How many of the text's checks an event passes (score_seeds.py's choice among candidates)."""
    passed = int(event.get("event_type") == item["event_type"])
    passed += int(event.get("sub_event_type") == item["sub_event_type"])
    if item["style"] == "note":
        passed += int((event.get("fatalities") or {}).get("best", 0) == (item.get("killed") or 0))
    return passed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--style", choices=STYLES)
    ap.add_argument("--published", default=None, help="publication date of every text (default: none)")
    ap.add_argument("--errors", type=int, default=0, metavar="N")
    args = ap.parse_args()
    items = load(args.data, args.style)
    dated = {"published": args.published} if args.published else {}
    events, elapsed = analyzed([{"id": it["id"], "text": it["text"], **dated} for it in items])
    by_text = citing(events)

    rows = []
    for it in items:
        cands = by_text.get(it["id"], [])
        best = max(cands, key=lambda e: checks(e, it)) if cands else None
        pred = best["sub_event_type"] if best else NONE
        killed = (best.get("fatalities") or {}).get("best", 0) if best else 0
        rows.append((it, pred, killed, cands))

    gold = [it["sub_event_type"] or NONE for it, *_ in rows]
    pred = [p for _, p, _, _ in rows]
    print(f"texts: {len(items)}; events: {len(events)} ({len(events) / max(1, len(items)):.2f} per text); "
          f"analyze {elapsed:.1f}s")
    print(f"sub-event type  weighted F1 {weighted_f1(gold, pred):.3f}   accuracy {accuracy(gold, pred):.3f}")
    for style in STYLES:
        sel = [i for i, (it, *_) in enumerate(rows) if it["style"] == style]
        if sel:
            g, p = [gold[i] for i in sel], [pred[i] for i in sel]
            print(f"  {style:8s} {len(sel):4d}  wF1 {weighted_f1(g, p):.3f}  acc {accuracy(g, p):.3f}")
    no_event = [i for i, g in enumerate(gold) if g == NONE]
    fp = sum(1 for i in no_event if rows[i][3])
    print(f"'none' texts cited by an event: {fp}/{len(no_event)}")
    notes = [(it, k) for it, _, k, _ in rows if it["style"] == "note"]
    if notes:
        exact = sum(1 for it, k in notes if k == (it.get("killed") or 0))
        print(f"killed exact on notes: {exact}/{len(notes)} = {exact / len(notes):.3f}")

    shown = 0
    for it, p, k, cands in rows:
        if shown >= args.errors:
            break
        wrong_type = p != (it["sub_event_type"] or NONE)
        wrong_toll = it["style"] == "note" and k != (it.get("killed") or 0)
        if not (wrong_type or wrong_toll):
            continue
        shown += 1
        print(f"- {it['id']} [{it['style']}] gold {it['sub_event_type'] or NONE} / {it.get('killed')} | "
              f"got {p} / {k}")
        print("    " + it["text"][:300].replace("\n", " "))
        for ev in cands:
            fat = ev.get("fatalities") or {}
            tolls = [c["value"]["best"] for c in (ev.get("claims") or {}).get("fatalities", [])]
            print(f"    event {ev['sub_event_type']}: killed {fat.get('best')} (claims {tolls}) "
                  f"conflicts {ev.get('conflicts')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
