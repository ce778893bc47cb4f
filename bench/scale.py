"""Scale: the local path and the Spark path on corpora of 1k, 10k and 50k distinct reports.

usage: python bench/scale.py [--sizes 1000,10000,50000] [--workers 2] [--paths local,spark]
                             [--data ../shared/data] [--max-minutes M] [--spacy-docs 2000] [--keep DIR]
                             [--per-day N]

The corpora are built from the real texts in ../shared/data: the 804 FA-KES articles, the 462 ECB+
documents (undated there; given dates spread over 2016-2017) and the UCDP GED headlines grouped by day and
office into short bulletins of up to 6 headlines. Past the first pass over these, copy k of a text has
its publication date moved k * 7 days later and its place names rotated k places along a list (Syrian
towns and provinces, and world cities for the ECB+ texts), so every report has its own content hash;
texts that name none of the listed places get a closing line naming their copy. The order interleaves
the copies, as a feed would. So the reports spread over years, a few dozen a day: the density of an
archive. With --per-day N they are published N a day on consecutive days instead, in the same order: the
density of a feed (every report of a day meets the same fusion blocks and stories).

For each size and path, in a child process whose whole process tree is sampled for memory (the sum of
the resident sets every 0.2 s, from /proc): `rashomon.pipeline.analyze` with --workers processes into a
fresh DuckDB file (the local path; fusion's share is the time inside `fuse_batch`), and
`rashomon.spark.run` on local[--workers] (the Spark path; fusion's share is its stories and events
stages). Bare spaCy (`nlp.pipe` over every sentence, --workers processes) runs just before each size, on
--spacy-docs of its reports spread evenly through it. Printed per size and path: wall seconds, reports/s,
reports/s per core, peak memory, fusion's share, the throughput against that size's bare spaCy; then the
projected wall time of a 200k-report day on this machine and on a cluster of 10 such executors.

A size whose estimate (from the rate of the smaller sizes already run) exceeds --max-minutes is skipped
with its estimate printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DAY_REPORTS = 200_000
EXECUTORS = 10
COPY_SHIFT_DAYS = 7
FEED_START = date(2017, 3, 1)  # --per-day: the first day of the feed
BULLETIN_HEADLINES = 6
PLACES = [
    "Aleppo", "Idlib", "Homs", "Hama", "Daraa", "Raqqa", "Deir ez-Zor", "Latakia", "Tartus", "Douma",
    "Saraqib", "Palmyra", "Manbij", "Afrin", "Kobani", "Qamishli", "Hasakah", "Jisr al-Shughour",
    "Maarat al-Numan", "Khan Sheikhoun", "Al-Bab", "Azaz", "Jarabulus", "Tal Abyad", "Ghouta", "Harasta",
    "Zabadani", "Quneitra", "Sweida", "Bosra", "Rastan", "Talbiseh", "Qusayr", "Yabroud", "Mayadin",
    "Al-Bukamal", "Tabqa", "Khan Touman", "Ariha", "Kafr Nabl",
]
WORLD = [
    "New York", "Los Angeles", "Chicago", "Houston", "London", "Paris", "Berlin", "Madrid", "Rome", "Moscow",
    "Tokyo", "Beijing", "Mumbai", "Sydney", "Toronto", "Mexico City", "Cairo", "Nairobi", "Lagos", "Lima",
]


# -- the corpus ---------------------------------------------------------------------------------------------
def base_texts(data: Path) -> list[dict]:
    bases: list[dict] = []
    with (data / "fa-kes-syria-articles.csv").open(encoding="latin-1", newline="") as handle:
        for r in csv.DictReader(handle):
            bases.append({"id": f"fakes-{r['unit_id']}", "title": r["article_title"],
                          "text": r["article_content"],
                          "published": datetime.strptime(r["date"], "%m/%d/%Y").date().isoformat(),
                          "outlet": r["source"], "places": PLACES})
    with (data / "ecbplus-dev-topics-1-22.jsonl").open(encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            r = json.loads(line)
            day = date(2016, 1, 1) + timedelta(days=(i * 37) % 730)
            bases.append({"id": f"ecb-{r['doc']}", "title": None, "text": r["text"],
                          "published": day.isoformat(), "outlet": None, "places": WORLD})
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    with (data / "ucdp-ged-syria-2016-2017.csv").open(encoding="utf-8", newline="") as handle:
        seen = set()
        for r in csv.DictReader(handle):
            headline = (r["source_headline"] or "").strip()
            day = (r["source_date"] or "").split(";")[0].strip()
            if not headline or headline in seen or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                continue
            seen.add(headline)
            groups[(day, r["source_office"] or "")].append(headline.rstrip(".") + ".")
    for (day, office), headlines in sorted(groups.items()):
        for n in range(0, len(headlines), BULLETIN_HEADLINES):
            bases.append({"id": f"ucdp-{day}-{len(bases)}", "title": None,
                          "text": "\n".join(headlines[n : n + BULLETIN_HEADLINES]), "published": day,
                          "outlet": office.split(";")[0] or None, "places": PLACES})
    # every size takes the same mix of long articles and short bulletins, so that reports per second
    # compare across sizes
    random.Random(7).shuffle(bases)
    seen_ids: set[str] = set()
    for base in bases:  # FA-KES repeats a few unit ids
        while base["id"] in seen_ids:
            base["id"] += "-b"
        seen_ids.add(base["id"])
    return bases


def _rotate(text: str, places: list[str], k: int) -> str:
    names = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    pattern = re.compile(rf"\b({names})\b")
    index = {p: i for i, p in enumerate(places)}
    return pattern.sub(lambda m: places[(index[m.group(1)] + k) % len(places)], text)


def corpus(bases: list[dict], size: int, per_day: int | None = None) -> list[dict]:
    """`size` reports from the base texts (see the module's docstring); with `per_day`, published on
    consecutive days from FEED_START, `per_day` reports a day, in feed order."""
    out = []
    k = 0
    while len(out) < size:
        for base in bases:
            if len(out) >= size:
                break
            if k == 0:
                text, published = base["text"], base["published"]
            else:
                text = _rotate(base["text"], base["places"], k)
                if text == base["text"]:
                    text += f"\n(Copy {k} of this report.)"
                published = (date.fromisoformat(base["published"]) + timedelta(days=COPY_SHIFT_DAYS * k)
                             ).isoformat()
            out.append({"id": base["id"] if k == 0 else f"{base['id']}-c{k}", "title": base["title"],
                        "text": text, "published": published, "outlet": base["outlet"]})
        k += 1
    if per_day:
        for n, report in enumerate(out):
            report["published"] = (FEED_START + timedelta(days=n // per_day)).isoformat()
    return out


# -- measuring ----------------------------------------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            tree[int(fields[1])].append(int(entry))
        except (OSError, IndexError):
            continue
    return tree


def _exe(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def tree_rss(pid: int) -> int:
    """Bytes resident in the process and all its descendants. A JVM's child still running the JVM's own
    executable is not counted: it is a command being launched (Spark runs `chmod` for every file it
    writes), which shares the JVM's memory until it becomes the command, and its resident set would count
    the JVM a second time."""
    tree, total, todo, page = _children(), 0, [pid], os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as handle:
                total += int(handle.read().split()[1]) * page
        except OSError:
            continue  # gone
        exe = _exe(p)
        jvm = exe is not None and os.path.basename(exe) == "java"
        todo.extend(c for c in tree.get(p, []) if not (jvm and _exe(c) == exe))
    return total


def measured(command: list[str]) -> tuple[dict, int]:
    """Run a child, sample its process tree's memory; returns (the JSON it printed last, peak bytes)."""
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(child.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), peak


def run_local(jsonl: str, folder: str, workers: int) -> dict:
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    started = time.perf_counter()
    with Store.open(Path(folder) / "local.duckdb") as store:
        report = analyze([jsonl], store, progress=False, workers=workers)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "fuse": report.fuse_seconds, "docs": report.added,
            "mentions": report.mentions,
            "events": report.events}


def run_spark(jsonl: str, folder: str, workers: int) -> dict:
    from rashomon.spark import run

    started = time.perf_counter()
    report = run([jsonl], str(Path(folder) / "spark-out"), master=f"local[{workers}]")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "fuse": report.seconds.get("stories", 0) + report.seconds.get("events", 0),
            "stages": report.seconds, "docs": report.added, "mentions": report.mentions,
            "events": report.events,
            "blocks": report.blocks, "largest_block": report.largest_block}


def run_spacy(jsonl: str, folder: str, workers: int, limit: int) -> dict:
    from rashomon.ingest.sentences import split_sentences
    from rashomon.nlp import load_model

    with open(jsonl, encoding="utf-8") as handle:
        lines = handle.readlines()
    # evenly spread over the corpus: the same mix of texts, first reports and later copies, as the pipeline's
    docs = [json.loads(lines[i * len(lines) // limit])["text"] for i in range(min(limit, len(lines)))]
    sentences = [s.text for text in docs for s in split_sentences(text)]
    nlp = load_model()
    list(nlp.pipe(sentences[:200]))
    started = time.perf_counter()
    for _ in nlp.pipe(sentences, batch_size=256, n_process=workers):
        pass
    return {"seconds": time.perf_counter() - started, "docs": len(docs), "sentences": len(sentences)}


def child(args: list[str]) -> int:
    kind, jsonl, folder, workers, *rest = args
    if kind == "local":
        result = run_local(jsonl, folder, int(workers))
    elif kind == "spark":
        result = run_spark(jsonl, folder, int(workers))
    else:
        result = run_spacy(jsonl, folder, int(workers), int(rest[0]))
    print(json.dumps(result))
    return 0


# -- the report ---------------------------------------------------------------------------------------------
def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--paths", default="local,spark")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--max-minutes", type=float, default=None,
                        help="skip a size estimated to take longer")
    parser.add_argument("--spacy-docs", type=int, default=2000, help="reports bare spaCy parses per size")
    parser.add_argument("--keep", type=Path, default=None, help="keep the corpora and outputs here")
    parser.add_argument("--per-day", type=int, default=None, metavar="N",
                        help="publish the reports N a day on consecutive days (a feed of N reports a day; "
                             "--per-day 200000 puts every size on one day) instead of at their own dates")
    args = parser.parse_args()
    if not (args.data / "fa-kes-syria-articles.csv").exists():
        print(f"no FA-KES file in {args.data}", file=sys.stderr)
        return 2
    sizes = sorted(int(s) for s in args.sizes.split(","))
    paths = args.paths.split(",")
    bases = base_texts(args.data)
    density = f"{args.per_day} reports a day" if args.per_day else "at their own dates, copies weeks apart"
    print(f"{len(bases)} base texts (FA-KES, ECB+, UCDP bulletins); workers {args.workers}; "
          f"sizes {', '.join(map(str, sizes))}; published {density}", flush=True)
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    results: dict[tuple[int, str], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        for size in sizes:
            folder = root / f"n{size}"
            folder.mkdir(parents=True, exist_ok=True)
            jsonl = folder / "reports.jsonl"
            reports = corpus(bases, size, args.per_day)
            jsonl.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
            words = sum(len(r["text"].split()) for r in reports) / len(reports)
            print(f"\n{size} reports ({len({r['id'] for r in reports})} ids, {words:.0f} words each on "
                  "average)", flush=True)
            # beside each size, on its texts: bare spaCy's rate here moved 48.5-57.6 reports/s between runs
            found, _ = measured([*me, "spacy", str(jsonl), str(folder), str(args.workers),
                                 str(min(args.spacy_docs, size))])
            spacy_rate = found["docs"] / found["seconds"]
            print(f"  bare spaCy   {found['docs']} reports ({found['sentences']} sentences) in "
                  f"{found['seconds']:.1f} s: {spacy_rate:.1f} reports/s", flush=True)
            for path in paths:
                done = [(n, results[(n, path)]) for n in sizes if (n, path) in results]
                if done:
                    n, r = done[-1]
                    estimate = r["seconds"] * size / n
                    print(f"  {path:<5} estimated {hours(estimate)} (from {n} reports)", flush=True)
                    if args.max_minutes and estimate > args.max_minutes * 60:
                        print(f"  {path:<5} skipped: over --max-minutes {args.max_minutes:g}", flush=True)
                        continue
                found, peak = measured([*me, path, str(jsonl), str(folder), str(args.workers)])
                found["peak"] = peak
                results[(size, path)] = found
                rate = found["docs"] / found["seconds"]
                extra = ""
                if path == "spark":
                    stages = ", ".join(f"{k} {v:.0f}" for k, v in found["stages"].items())
                    extra = (f"\n          stages (s): {stages}; {found['blocks']} fusion blocks, the "
                             f"largest {found['largest_block']} (report, type) groups")
                print(f"  {path:<5} {found['seconds']:8.1f} s  {rate:6.1f} reports/s  "
                      f"{rate / args.workers:6.1f} per core  peak {peak / 2**30:.2f} GB  fusion "
                      f"{100 * found['fuse'] / found['seconds']:.1f}%  ({found['mentions']} mentions, "
                      f"{found['events']} events){extra}", flush=True)
                print(f"          throughput / bare spaCy = {rate / spacy_rate:.2f}", flush=True)
                shutil_rm(folder / ("local.duckdb" if path == "local" else "spark-out"), keep=args.keep)
    print("\nSummary")
    for path in paths:
        runs = sorted((n, r) for (n, p), r in results.items() if p == path)
        if not runs:
            continue
        (n0, r0), (n1, r1) = runs[0], runs[-1]
        per_core0 = r0["docs"] / r0["seconds"] / args.workers
        per_core1 = r1["docs"] / r1["seconds"] / args.workers
        print(f"  {path}: per-core throughput at {n1} = {per_core1 / per_core0:.2f} x that at {n0}; "
              f"peak memory at {n1} {r1['peak'] / 2**30:.2f} GB")
        day = r1["seconds"] * DAY_REPORTS / n1
        print(f"  {path}: a {DAY_REPORTS:,}-report day on this {args.workers}-core machine ~ {hours(day)} "
              f"(linear from {n1} reports)")
        if path == "spark":
            serial = r1["stages"].get("stories", 0) * DAY_REPORTS / n1
            parallel = day - serial
            print(f"  spark: on {EXECUTORS} such executors ~ {hours(parallel / EXECUTORS + serial)} "
                  f"(all stages but the driver's stories divided by {EXECUTORS}; stories {hours(serial)})")
    return 0


def shutil_rm(path: Path, keep: Path | None) -> None:
    import shutil

    if keep is None and path.exists():
        shutil.rmtree(path) if path.is_dir() else path.unlink()


if __name__ == "__main__":
    sys.exit(main())
