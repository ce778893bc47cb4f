"""Memory of a process that extracts: spaCy's batch size and giving freed heap back, at their CPU cost.

usage: python bench/parse_memory.py [CSV] [--limit N] [--chunk 100] [--batch-sizes 64,256]

CSV defaults to ../shared/data/fa-kes-syria-articles.csv next to the repository (the 804 FA-KES articles,
latin-1, text in `article_content`). For each batch size, with and without `rashomon.nlp.
release_free_memory` after each chunk, a child process loads the model, warms up on five articles, then
extracts and resolves the articles in chunks of --chunk reports (100, as a Spark worker does; `rashomon
analyze` sends its workers 25) as `rashomon.pipeline.extract_and_resolve` does. Printed per child: its CPU
seconds over the chunks, its resident set at the end, and its peak (the kernel's maxrss: the model's load
included, the largest moment of any chunk). What a parsing process adds to bench/scale.py's peak memory
is this peak, once per worker. A quiet machine gives steadier CPU seconds; run it twice to compare them.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fa-kes-syria-articles.csv"


def resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def child(csv_path: Path, limit: int, chunk: int, batch_size: int, release: bool) -> dict:
    import rashomon.nlp
    from rashomon.ingest import build_document
    from rashomon.ingest.readers import report_from_record
    from rashomon.pipeline import extract_and_resolve

    rashomon.nlp.BATCH_SIZE = batch_size
    if not release:  # extract_and_resolve looks the function up at each call
        rashomon.nlp.release_free_memory = lambda: None
    with csv_path.open(encoding="latin-1", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    docs = [build_document(report_from_record({"id": f"fakes-{r['unit_id']}", "text": r["article_content"]},
                                              "fakes", str(n))) for n, r in enumerate(rows)]
    docs = [d for d in docs if hasattr(d, "sentences")]
    extract = extract_and_resolve

    extract(docs[:5])
    started = time.process_time()
    for start in range(0, len(docs), chunk):
        extract(docs[start : start + chunk])
    return {"reports": len(docs), "cpu": time.process_time() - started, "end": resident_mb(),
            "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=804)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--batch-sizes", default="64,256")
    parser.add_argument("--child", nargs=2, metavar=("BATCH_SIZE", "RELEASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(args.csv, args.limit, args.chunk, int(args.child[0]), args.child[1] == "release")
        print(json.dumps(result))
        return 0
    if not args.csv.exists():
        sys.exit(f"{args.csv}: no such file (give the FA-KES CSV's path)")
    print(f"{args.csv.name}: up to {args.limit} articles, chunks of {args.chunk} reports, one child each")
    for size in (int(s) for s in args.batch_sizes.split(",")):
        for release in ("release", "keep"):
            done = subprocess.run([sys.executable, __file__, str(args.csv), "--limit", str(args.limit),
                                   "--chunk", str(args.chunk), "--child", str(size), release],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                sys.exit(done.stderr[-3000:])
            r = json.loads(done.stdout.strip().splitlines()[-1])
            freed = "freed heap given back" if release == "release" else "freed heap kept    "
            print(f"  batch {size:>4}  {freed}  {r['reports']} reports  CPU {r['cpu']:6.1f} s  "
                  f"end {r['end']:5.0f} MB  peak {r['peak']:5.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
