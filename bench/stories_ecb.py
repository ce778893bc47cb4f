"""Stories against the ECB+ gold document clusters (topic and sub-corpus): B-cubed precision, recall, F1.

usage: python bench/stories_ecb.py [--data ../shared/data/ecbplus-dev-topics-1-22.jsonl] [--limit N]

Each ECB+ document is analysed as one undated report (ECB+ carries no publication dates) through the whole
pipeline into a temporary database; its story is then compared with the gold cluster: documents of one
topic and one sub-corpus (ecb or ecbplus) tell of one situation, the other sub-corpus of the same topic
of a similar but different one. Prints the figures and the time taken.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rashomon.pipeline import analyze
from rashomon.store import Store

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev-topics-1-22.jsonl"


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item, cluster in predicted.items():
        by_pred[cluster].add(item)
    for item, cluster in gold.items():
        by_gold[cluster].add(item)
    items = list(gold)
    precision = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_pred[predicted[i]]) for i in items)
    recall = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in items)
    p, r = precision / len(items), recall / len(items)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"no ECB+ file at {args.data}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")][: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "ecb.jsonl"
        with reports.open("w", encoding="utf-8") as out:
            for r in rows:
                # no title: the file name ('1_10ecb.xml') would leak the sub-corpus into the words compared
                out.write(json.dumps({"id": r["doc"], "text": r["text"]}) + "\n")
        store = Store.open(Path(tmp) / "ecb.duckdb")
        started = time.perf_counter()
        report = analyze([str(reports)], store, progress=False)
        elapsed = time.perf_counter() - started
        predicted = {d: s["id"] for s in store.story_rows() for d in s["doc_ids"] or []}
        store.close()
    gold = {r["doc"]: f"{r['topic']}/{r['subcorpus']}" for r in rows}
    missing = set(gold) - set(predicted)
    for doc in missing:  # a document the pipeline skipped counts as a story of its own
        predicted[doc] = "missing:" + doc
    p, r, f = bcubed(predicted, gold)
    print(
        f"documents {len(rows)}  gold clusters {len(set(gold.values()))}  "
        f"predicted stories {len(set(predicted.values()))}  skipped {len(missing)}"
    )
    print(f"B-cubed precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    print(f"pipeline time {elapsed:.1f} s ({report.added / elapsed:.1f} docs/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
