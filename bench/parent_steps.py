"""Where `rashomon analyze`'s parent process spends its time, and how each step grows with the corpus.

usage: python bench/parent_steps.py [--sizes 10000,20000] [--per-day 200000] [--workers 2]
                                    [--data ../shared/data] [--cache DIR]

Builds bench/scale.py's corpus at the largest size (with --per-day N, published N a day, as scale.py's
--per-day), extracts its mentions once with --workers processes (kept in --cache: a second run with the same
corpus skips this), then for each size runs `rashomon.pipeline.analyze` on the corpus's first reports in
this one process, the extraction read back from the cache, so that only the parent's work is timed.
Printed per size: wall seconds, fusion's seconds (inside `fuse_batch`, with the records rewritten at the
end), and the seconds inside each step: linking repeats (`link_batch`), stories (`assign_story`), clustering
(`cluster_mentions`) and writing event records; the stories and the events; and when every report is of
one day, the cost of one story comparison (stories' seconds over reports times stories: on one day every
report meets every story); then the reused sentences found and an md5 of the event records (equal at two
commits: the same results). The steps are timed by wrapping the functions `rashomon.pipeline` calls;
nothing else is changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rashomon import pipeline
from rashomon.ingest import IngestProblem, build_document, iter_reports
from rashomon.models import Document
from rashomon.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402  (the corpus of bench/scale.py)

STEPS = {"repeats": "link_batch", "stories": "assign_story", "clustering": "cluster_mentions",
         "records": "_save_records"}
CHUNK = 200  # documents extracted per task


def documents(jsonl: Path) -> list[Document]:
    """The documents `analyze` builds from the file (the skipped inputs left out)."""
    docs = []
    for item in iter_reports([str(jsonl)]):
        doc = build_document(item) if not isinstance(item, IngestProblem) else item
        if isinstance(doc, Document):
            docs.append(doc)
    return docs


def extracted(jsonl: Path, cache: Path, workers: int) -> dict[str, list]:
    """Each document's resolved mentions, from the cache file or extracted now."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    docs = documents(jsonl)
    found: dict[str, list] = {}
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        chunks = [docs[i : i + CHUNK] for i in range(0, len(docs), CHUNK)]
        for n, (chunk, result) in enumerate(zip(chunks, pool.map(pipeline.extract_and_resolve, chunks),
                                                strict=True)):
            found.update({doc.id: mentions for doc, mentions in zip(chunk, result, strict=True)})
            print(f"  extracted {min(len(docs), (n + 1) * CHUNK)} of {len(docs)} "
                  f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    cache.write_bytes(pickle.dumps(found))
    return found


def timed(seconds: dict[str, float]) -> None:
    """Wrap the step functions in `rashomon.pipeline`'s namespace to add up the wall time inside each."""
    for step, name in STEPS.items():
        inner = getattr(pipeline, name)

        def wrapper(*args, _inner=inner, _step=step, **kwargs):
            started = time.perf_counter()
            try:
                return _inner(*args, **kwargs)
            finally:
                seconds[_step] += time.perf_counter() - started

        setattr(pipeline, name, wrapper)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000")
    parser.add_argument("--per-day", type=int, default=200_000, metavar="N",
                        help="reports a day (0: at their own dates, as scale.py without --per-day)")
    parser.add_argument("--workers", type=int, default=2, help="processes extracting the corpus once")
    parser.add_argument("--data", type=Path, default=scale.DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the corpus and its extraction here (default: a temporary folder)")
    args = parser.parse_args()
    if not (args.data / "fa-kes-syria-articles.csv").exists():
        print(f"no FA-KES file in {args.data}", file=sys.stderr)
        return 2
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.cache or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"corpus-{sizes[-1]}-{args.per_day or 'spread'}"
        jsonl = folder / f"{name}.jsonl"
        reports = scale.corpus(scale.base_texts(args.data), sizes[-1], args.per_day or None)
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
        found = extracted(jsonl, folder / f"{name}.mentions.pickle", args.workers)
        seconds = dict.fromkeys(STEPS, 0.0)
        timed(seconds)

        def extractor(docs: list[Document]) -> list[list]:
            # copies: analyze marks the mentions it is given (their origins), and each size starts afresh
            return [pickle.loads(pickle.dumps(found.get(doc.id, []))) for doc in docs]

        density = f"{args.per_day} a day" if args.per_day else "at their own dates"
        print(f"parent only, extraction cached; reports published {density}")
        for size in sizes:
            part = folder / f"first-{size}.jsonl"
            part.write_text("".join(json.dumps(r) + "\n" for r in reports[:size]), encoding="utf-8")
            for step in seconds:
                seconds[step] = 0.0
            db = Path(tmp) / f"parent-{size}.duckdb"
            started = time.perf_counter()
            with Store.open(db) as store:
                report = pipeline.analyze([str(part)], store, extractor=extractor, progress=False)
                stories = store.count("stories")
                # what came out, to tell a change that only speeds the parent up from one that alters it
                records = hashlib.md5(json.dumps(store.event_records(), sort_keys=True).encode()).hexdigest()
                links = store.con.execute("SELECT count(reused_doc) FROM sentences").fetchone()[0]
            wall = time.perf_counter() - started
            db.unlink()
            steps = ", ".join(f"{step} {s:.1f} s" for step, s in seconds.items())
            # on one day every report is compared with every story
            each = (f"; {1e6 * seconds['stories'] / max(1, report.added * stories):.1f} us per story compared"
                    if args.per_day and size <= args.per_day else "")
            print(f"  {size:>7} reports: {wall:.1f} s, fusion {report.fuse_seconds:.1f} s; {steps}; "
                  f"{stories} stories, {report.events} events{each}; {links} reused sentences, "
                  f"records md5 {records[:8]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
