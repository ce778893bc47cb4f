"""The whole pipeline's throughput on the FA-KES articles, against bare spaCy on the same texts, in one run.

usage: python bench/pipeline_speed.py [--limit N] [--workers 2]

(a) bare spaCy: `nlp.pipe` over every sentence of every article (the same sentence split the pipeline
uses), with --workers processes; (b) `rashomon analyze` on the same articles (ingest, extraction, resolution,
fusion, storage) into a fresh DuckDB file with --workers processes. Prints documents per second of each and
the ratio of the pipeline's throughput to bare spaCy's (issue 5's target: at least 0.7).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from rashomon.ingest.sentences import split_sentences
from rashomon.nlp import load_model
from rashomon.pipeline import analyze
from rashomon.store import Store

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "fa-kes-syria-articles.csv"


def articles(path: Path, limit: int | None) -> list[dict]:
    with path.open(encoding="latin-1", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    return [{"id": f"fakes-{r['unit_id']}", "title": r["article_title"], "text": r["article_content"],
             "published": datetime.strptime(r["date"], "%m/%d/%Y").date().isoformat(), "outlet": r["source"]}
            for r in rows]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"no FA-KES file at {args.data}", file=sys.stderr)
        return 2
    docs = articles(args.data, args.limit)
    sentences = [s.text for d in docs for s in split_sentences(d["text"])]
    nlp = load_model()
    list(nlp.pipe(sentences[:200]))  # warm up
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in nlp.pipe(sentences, batch_size=256, n_process=args.workers):
        pass
    spacy_seconds = time.perf_counter() - started
    spacy_cpu = cpu_seconds() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "fakes.jsonl"
        reports.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        store = Store.open(Path(tmp) / "bench.duckdb")
        started, cpu = time.perf_counter(), cpu_seconds()
        report = analyze([str(reports)], store, progress=False, workers=args.workers)
        pipeline_seconds = time.perf_counter() - started
        pipeline_cpu = cpu_seconds() - cpu
        store.close()
    n = len(docs)
    print(f"documents {n}  sentences {len(sentences)}  workers {args.workers}")
    print(f"bare spaCy nlp.pipe   {spacy_seconds:7.1f} s  {n / spacy_seconds:7.1f} docs/s  "
          f"CPU {spacy_cpu:6.1f} s")
    print(f"rashomon analyze      {pipeline_seconds:7.1f} s  {n / pipeline_seconds:7.1f} docs/s  "
          f"CPU {pipeline_cpu:6.1f} s  "
          f"({report.mentions} mentions, {report.events} events, {len(report.problems)} skipped)")
    print(f"pipeline throughput / bare spaCy throughput = {spacy_seconds / pipeline_seconds:.2f}"
          f"  (by CPU time, all processes: {spacy_cpu / pipeline_cpu:.2f}; on a busy machine wall time "
          f"varies with the load, CPU time much less)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
