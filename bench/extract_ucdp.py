"""Event-mention extraction on the UCDP GED Syria 2016-2017 headlines (a real development file, CC BY 4.0).

usage: python bench/extract_ucdp.py [CSV] [--limit N]

CSV defaults to ../shared/data/ucdp-ged-syria-2016-2017.csv next to the repository. Rows are
de-duplicated on `source_headline` (the first row of a headline is kept; a headline shared by several
UCDP events is scored against the first of them, and also against any of them in a separate line).
Each headline is one one-line report (a Document whose sentences come from split_sentences) published on
its `source_date` (the first date when the field lists several, '2017-01-03;2017-01-04').

Printed:
  - rows read, headlines kept, extraction time
  - share of headlines with at least one violent mention (event type Battles, Explosions/Remote violence or
    Violence against civilians)
  - killed count (as extract_dev.py takes it: the main violent mention, then the largest per-mention sum of
    killed counts over the mentions of its event type; 0 when none is stated) equal to UCDP's `best`, and
    within `low`..`high`
  - share of headlines that state a number at all (digits or a count word, URLs left out), share that
    state a killed number (a number a few words before 'killed', 'dead', 'died', 'lives', 'martyrs',
    'bodies', ... or just after 'kill(s/ing)'; a word test independent of the extractor), and the two
    shares above restricted to the latter; the same restricted to headlines where the extractor read a
    killed count
UCDP counts an event's deaths from all its sources, and a headline often names only part of them or a
day's total for many events: the figures show agreement with a careful coder, not a ceiling.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_dev import main_mention, mention_killed, predicted_killed  # noqa: E402

DEFAULT_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ucdp-ged-syria-2016-2017.csv"
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"https?://\S+|www\.\S+")
_NUM = (r"(?:(?!(?:19|20)\d\d\b)\d+(?:,\d{3})*|"  # digits, years left out
        r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
        r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
        r"hundreds?|thousands?|dozens?|tens|scores|several)")
_NUMBER = re.compile(rf"\b{_NUM}\b", re.I)
_DEATH = r"(?:killed|dead|died|deaths?|dies|lives|life|martyrs?|martyred|bodies|corpses|toll|massacred)"
_KILLED_NUMBER = re.compile(rf"\b{_NUM}\b(?:\W+[\w’'-]+){{0,8}}?\W+{_DEATH}\b|\bkill(?:s|ing|ed)?\W+"
                            rf"(?:[\w’'-]+\W+){{0,2}}?{_NUM}\b", re.I)


def first_date(value: str) -> str | None:
    """'2017-01-03;2017-01-04' -> '2017-01-03'; None when no ISO date is there."""
    m = _DATE.search(value or "")
    return m.group() if m else None


def states_number(headline: str) -> bool:
    return bool(_NUMBER.search(_URL.sub(" ", headline)))


def states_killed_number(headline: str) -> bool:
    return bool(_KILLED_NUMBER.search(_URL.sub(" ", headline)))


def read_rows(path: Path) -> tuple[int, list[dict]]:
    """(rows read, one row per distinct headline with `bests`: the best of every row sharing it)."""
    by_headline: dict[str, dict] = {}
    n = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            n += 1
            headline = (row.get("source_headline") or "").strip()
            if not headline:
                continue
            kept = by_headline.setdefault(headline, {**row, "bests": set()})
            kept["bests"].add(int(float(row["best"])))
    return n, list(by_headline.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--limit", type=int, help="the first N distinct headlines (default all)")
    args = ap.parse_args(argv)

    from rashomon.extract import extract_mentions
    from rashomon.ingest.sentences import split_sentences
    from rashomon.models import Document
    from rashomon.nlp import load_model
    from rashomon.resolve.numbers import parse_count

    n_rows, rows = read_rows(args.csv)
    if args.limit:
        rows = rows[: args.limit]
    load_model()
    start = time.perf_counter()
    docs = [Document(id=f"ucdp-{row['id']}", source=str(args.csv), text=row["source_headline"].strip(),
                     published=first_date(row["source_date"]),
                     sentences=split_sentences(row["source_headline"].strip()))
            for row in rows]
    all_mentions = extract_mentions(docs)
    seconds = time.perf_counter() - start

    violent = exact = within = exact_any = numbers = 0
    says_killed = [0, 0, 0]  # headlines whose words state a killed number: n, exact, within
    read_killed = [0, 0, 0]  # headlines where the extractor read a killed count: n, exact, within
    for row, mentions in zip(rows, all_mentions, strict=True):
        vm = [m for m in mentions if m.event_type in VIOLENT]
        violent += bool(vm)
        killed = predicted_killed(vm, main_mention(vm), parse_count)
        best, low, high = (int(float(row[k])) for k in ("best", "low", "high"))
        hit, inside = killed == best, low <= killed <= high
        exact += hit
        within += inside
        exact_any += killed in row["bests"]
        numbers += states_number(row["source_headline"])
        for tally, holds in ((says_killed, states_killed_number(row["source_headline"])),
                             (read_killed, any(mention_killed(m, parse_count) is not None for m in vm))):
            if holds:
                tally[0] += 1
                tally[1] += hit
                tally[2] += inside

    n = len(rows)

    def share(k: int, d: int) -> str:
        return f"{k}/{d} = {k / d:.3f}" if d else "0/0"

    print(f"rows read: {n_rows}; distinct headlines scored: {n}; "
          f"sentence split + extraction {seconds:.1f}s ({n / seconds if seconds else 0:.0f} headlines/s)")
    print(f"at least one violent mention:        {share(violent, n)}")
    print(f"killed == UCDP best:                  {share(exact, n)}")
    print(f"killed within UCDP low..high:         {share(within, n)}")
    print(f"killed == best of any row of it:      {share(exact_any, n)}")
    print(f"headline states a number at all:      {share(numbers, n)}")
    print(f"headline states a killed number:      {share(says_killed[0], n)}")
    print(f"  of those, killed == best:           {share(says_killed[1], says_killed[0])}")
    print(f"  of those, killed within low..high:  {share(says_killed[2], says_killed[0])}")
    print(f"extractor read a killed count:        {share(read_killed[0], n)}")
    print(f"  of those, killed == best:           {share(read_killed[1], read_killed[0])}")
    print(f"  of those, killed within low..high:  {share(read_killed[2], read_killed[0])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
