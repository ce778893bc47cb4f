"""Ingestion speed on the 804 FA-KES articles (a real CSV of Syrian war news, CC BY 4.0).

usage: python bench/ingest_fakes.py [CSV] [--db FILE]

CSV defaults to ../shared/data/fa-kes-syria-articles.csv next to the repository. The articles go through
the ingest stage only (reading, cleaning, sentences, ids, near-duplicate and reused-sentence links, the
DuckDB writes), with extraction switched off, into a fresh database (a temporary one unless --db is
given). Printed: reading+cleaning alone, the whole ingest, and the same again on the filled database
(which must add nothing).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rashomon.ingest import IngestProblem, ReadOptions, build_document, iter_reports
from rashomon.pipeline import analyze
from rashomon.store import Store

DEFAULT_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fa-kes-syria-articles.csv"
OPTIONS = ReadOptions(csv_columns={"text": "article_content", "title": "article_title", "id": "unit_id",
                                   "published": "date", "outlet": "source"})


def no_extraction(docs):
    return [[] for _ in docs]


def read_and_clean(csv_path: Path) -> tuple[int, int, float]:
    start = time.perf_counter()
    docs = problems = 0
    for raw in iter_reports([csv_path], OPTIONS):
        item = raw if isinstance(raw, IngestProblem) else build_document(raw)
        if isinstance(item, IngestProblem):
            problems += 1
        else:
            docs += 1
    return docs, problems, time.perf_counter() - start


def ingest(csv_path: Path, db: Path):
    start = time.perf_counter()
    with Store.open(db) as store:
        report = analyze([str(csv_path)], store, options=OPTIONS, extractor=no_extraction, progress=False)
        counts = {t: store.count(t) for t in ("documents", "sentences")}
        sql = "SELECT count(*) FROM sentences WHERE reused_doc IS NOT NULL"
        (reused,) = store.con.execute(sql).fetchone()
    return report, counts, reused, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--db", type=Path, help="database to fill (must not exist); default: a temporary one")
    args = parser.parse_args()
    if not args.csv.exists():
        print(f"no such file: {args.csv} (pass the FA-KES CSV as the first argument)", file=sys.stderr)
        return 2
    if args.db and args.db.exists():
        print(f"{args.db} exists; the benchmark needs a fresh database", file=sys.stderr)
        return 2

    # load the sentence splitter and the cleaning patterns before timing
    build_document(next(r for r in iter_reports([args.csv], OPTIONS) if not isinstance(r, IngestProblem)))

    n_read, n_bad, t_read = read_and_clean(args.csv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "fakes.duckdb"
        report, counts, reused, t_total = ingest(args.csv, db)
        again, _, _, t_again = ingest(args.csv, db)

    t_store = max(t_total - t_read, 0.0)
    print(f"input: {args.csv} ({n_read + n_bad} records)")
    print(f"read+clean+split : {n_read} documents ({n_bad} skipped) in {t_read:6.2f} s = "
          f"{n_read / t_read:7.1f} docs/s")
    print(f"ingest, whole    : {report.added} documents stored ({report.already} repeated ids, "
          f"{report.duplicates} near-duplicates linked, {reused} of {counts['sentences']} sentences reused) "
          f"in {t_total:6.2f} s = {report.read / t_total:7.1f} docs/s")
    print(f"  of which store : ~{t_store:6.2f} s (dedup lookups and DuckDB writes: whole minus read+clean)")
    print(f"ingest, again    : {again.added} added, {again.already} already stored in {t_again:6.2f} s = "
          f"{again.read / t_again:7.1f} docs/s")
    return 0 if again.added == 0 and not report.problems else 1


if __name__ == "__main__":
    sys.exit(main())
