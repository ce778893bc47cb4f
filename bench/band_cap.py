"""What the cap on sentences per band key (`rashomon.ingest.dedup.BAND_CAP`) costs in found repeats.

usage: python bench/band_cap.py [--caps 64,32,16] [FILE ...]   (default: ../shared/data's FA-KES articles)

For each cap, `rashomon.pipeline.analyze` reads the files into a fresh DuckDB file with extraction off (no
mentions: only ingest, repeat linking and the writes run) and prints the near-duplicate documents, the
reused sentences found and the seconds taken. A lower cap bounds the candidates each sentence is compared
with (bench/parent_steps.py: linking repeats is the parent's largest step at 50k reports), at the price of
the repeats whose only shared keys are full.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rashomon import pipeline
from rashomon.ingest import dedup
from rashomon.store import Store

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "fa-kes-syria-articles.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[DEFAULT_FILE])
    parser.add_argument("--caps", default=f"{dedup.BAND_CAP},32,16")
    args = parser.parse_args()
    missing = [f for f in args.files if not f.exists()]
    if missing:
        print(f"no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    print(f"files: {', '.join(f.name for f in args.files)}; BAND_CAP in the code: {dedup.BAND_CAP}")
    for cap in (int(c) for c in args.caps.split(",")):
        dedup.BAND_CAP = cap  # read by index_sentences at each call
        with tempfile.TemporaryDirectory() as tmp, Store.open(str(Path(tmp) / "cap.duckdb")) as store:
            started = time.perf_counter()
            report = pipeline.analyze([str(f) for f in args.files], store, progress=False,
                                      extractor=pipeline._extract_nothing)
            seconds = time.perf_counter() - started
        print(f"  BAND_CAP {cap:>4}: {report.added} documents, {report.duplicates} near duplicates, "
              f"{report.reused_sentences} reused sentences, {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
