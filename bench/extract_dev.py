"""Event-mention extraction scored on the invented development snippets (bench/data/dev_snippets.jsonl).

usage: python bench/extract_dev.py [--data FILE] [--style note|snippet|report] [--limit N] [--errors N]
       python bench/extract_dev.py --self-test

Each line of the data file is one text (an ACLED-style incident note, a news snippet or a short report)
with its gold ACLED event type, sub-event type (both null when the text holds no political violence or
demonstration event), killed count, actors and place. Every text becomes one Document (sentences from
rashomon.ingest.sentences.split_sentences, no publication date) and goes through
rashomon.extract.extract_mentions.

The text's predicted type is the sub-event type of its main mention (see `main_mention`), or 'none' when
the extractor found no mention. Printed:
  - weighted F1 over sub-event types, 'none' counted as a class, weights = gold support (overall, per
    style), and the same at event-type level; macro F1; accuracy
  - precision / recall / F1 / support per class, the 20 most frequent confusions
  - the 'none' false-positive rate (no-event texts given an event) and the miss rate (event texts given none)
  - killed count exact on incident notes (see `predicted_killed`; a gold 'not stated' counts as 0, as
    ACLED codes it), overall, on notes that state a toll, on notes typed right, and with the toll taken
    from mentions of any type (a diagnostic)
  - a majority-class baseline (the most frequent gold class for every text), overall and per style
`--errors N` prints N misclassified texts with gold and predicted type; `--killed-errors N` prints N
incident notes whose killed count is wrong, with the counts the extractor attached to each mention.
`--self-test` checks the scoring functions on hand-made cases and a keyword stub extractor; it needs
neither the data file nor spaCy.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "dev_snippets.jsonl"
NONE = "none"
STYLES = ("note", "snippet", "report")


# --- what the extractor said about one text ------------------------------------------------------------


def main_mention(mentions: Sequence) -> object | None:
    """The mention that stands for the text: the highest score; among equal scores the first in text order
    (sentence start, then trigger start). None when there is no mention."""
    if not mentions:
        return None
    best = max(m.score for m in mentions)
    top = [m for m in mentions if m.score == best]
    return min(top, key=lambda m: (m.start, m.trigger.start if m.trigger is not None else 0))


def mention_killed(mention, parse_count: Callable) -> int | None:
    """Sum of the `best` of a mention's killed counts, None when it has no readable killed count."""
    values = [parse_count(c.text) for c in mention.counts if c.kind == "killed"]
    values = [v.best for v in values if v is not None]
    return sum(values) if values else None


def predicted_killed(mentions: Sequence, main, parse_count: Callable, any_type: bool = False) -> int:
    """The text's killed count as the fuse stage will take it: over the mentions of the main mention's
    event type, the largest per-mention sum of killed counts; 0 when none of them states one.
    `any_type` takes the mentions of every type instead (a diagnostic: how much the rule loses when a toll
    sits in a mention typed apart from the main one, as in 'X shelled Y. Three civilians were killed.')."""
    if main is None:
        return 0
    sums = [mention_killed(m, parse_count) for m in mentions if any_type or m.event_type == main.event_type]
    sums = [s for s in sums if s is not None]
    return max(sums) if sums else 0


# --- scores ------------------------------------------------------------------------------------------------


@dataclass
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # gold texts of this class
    predicted: int  # texts predicted as this class


def per_class(gold: Sequence[str], pred: Sequence[str]) -> list[ClassScore]:
    """Precision, recall and F1 of every label seen in gold or prediction (0 where undefined), sorted by
    support, largest first."""
    labels = sorted(set(gold) | set(pred))
    out = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        support = sum(1 for g in gold if g == label)
        predicted = sum(1 for p in pred if p == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(ClassScore(label, precision, recall, f1, support, predicted))
    return sorted(out, key=lambda c: (-c.support, c.label))


def weighted_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """F1 per class averaged with the gold support as weight (scikit-learn's average='weighted')."""
    if not gold:
        return 0.0
    return sum(c.f1 * c.support for c in per_class(gold, pred)) / len(gold)


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Unweighted mean F1 over every label seen in gold or prediction (scikit-learn's average='macro')."""
    classes = per_class(gold, pred)
    return sum(c.f1 for c in classes) / len(classes) if classes else 0.0


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    return sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold) if gold else 0.0


def confusions(gold: Sequence[str], pred: Sequence[str], top: int = 20) -> list[tuple[tuple[str, str], int]]:
    """The most frequent (gold, predicted) pairs that disagree."""
    pairs = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    return sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def majority_baseline(gold: Sequence[str]) -> tuple[str, float, float]:
    """The most frequent gold class given to every text: (class, weighted F1, accuracy)."""
    label = Counter(gold).most_common(1)[0][0]
    pred = [label] * len(gold)
    return label, weighted_f1(gold, pred), accuracy(gold, pred)


def none_rates(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, int, float, int]:
    """(share of no-event texts given an event, their number, share of event texts given none, their
    number)."""
    nones = [p for g, p in zip(gold, pred, strict=True) if g == NONE]
    events = [p for g, p in zip(gold, pred, strict=True) if g != NONE]
    fp = sum(1 for p in nones if p != NONE) / len(nones) if nones else 0.0
    miss = sum(1 for p in events if p == NONE) / len(events) if events else 0.0
    return fp, len(nones), miss, len(events)


# --- running it -------------------------------------------------------------------------------------------


@dataclass
class Result:
    item: dict
    gold: str
    pred: str
    gold_type: str
    pred_type: str
    killed: int
    killed_any_type: int
    main: object | None
    mentions: list


def load(path: Path, style: str | None = None, limit: int | None = None) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    if style:
        items = [it for it in items if it["style"] == style]
    return items[:limit] if limit else items


def label_of(item: dict) -> str:
    return item.get("sub_event_type") or NONE


def type_of(item: dict) -> str:
    return item.get("event_type") or NONE


def evaluate(items: list[dict], extract: Callable, parse_count: Callable, make_doc: Callable) -> list[Result]:
    docs = [make_doc(it) for it in items]
    all_mentions = extract(docs)
    results = []
    for item, mentions in zip(items, all_mentions, strict=True):
        main = main_mention(mentions)
        results.append(Result(item=item, gold=label_of(item), pred=main.sub_event_type if main else NONE,
                              gold_type=type_of(item), pred_type=main.event_type if main else NONE,
                              killed=predicted_killed(mentions, main, parse_count),
                              killed_any_type=predicted_killed(mentions, main, parse_count, any_type=True),
                              main=main,
                              mentions=list(mentions)))
    return results


def killed_scores(results: list[Result]) -> dict[str, tuple[int, int]]:
    """On incident notes: (exact, n) over all notes (gold 'not stated' = 0), over notes stating a toll, and
    over notes whose type was also right."""
    notes = [r for r in results if r.item["style"] == "note"]

    def exact(rs, attr="killed"):
        return sum(1 for r in rs if getattr(r, attr) == (r.item["killed"] or 0)), len(rs)

    return {"all notes": exact(notes),
            "notes stating a toll": exact([r for r in notes if r.item["killed"] is not None]),
            "notes typed right": exact([r for r in notes if r.gold == r.pred]),
            "all notes, any-type rule": exact(notes, "killed_any_type")}


def share(num: int, den: int) -> str:
    return f"{num}/{den} = {num / den:.3f}" if den else "0/0"


def report(results: list[Result], seconds: float, errors: int, out=sys.stdout,
           killed_errors: int = 0) -> None:
    gold = [r.gold for r in results]
    pred = [r.pred for r in results]
    p = lambda *a: print(*a, file=out)  # noqa: E731
    styles = ", ".join(f"{k} {v}" for k, v in Counter(r.item["style"] for r in results).items())
    p(f"texts: {len(results)} ({styles}); sentence split + extraction {seconds:.1f}s")
    p("")
    p(f"sub-event type  weighted F1 {weighted_f1(gold, pred):.3f}   macro F1 {macro_f1(gold, pred):.3f}   "
      f"accuracy {accuracy(gold, pred):.3f}")
    gt, pt = [r.gold_type for r in results], [r.pred_type for r in results]
    p(f"event type      weighted F1 {weighted_f1(gt, pt):.3f}   macro F1 {macro_f1(gt, pt):.3f}   "
      f"accuracy {accuracy(gt, pt):.3f}")
    label, bf1, bacc = majority_baseline(gold)
    p(f"majority baseline ('{label}' for all): weighted F1 {bf1:.3f}, accuracy {bacc:.3f}")
    p("")
    p(f"{'style':8} {'n':>4} {'wF1':>6} {'acc':>6} {'evtype wF1':>10}   majority baseline")
    for style in STYLES:
        rs = [r for r in results if r.item["style"] == style]
        if not rs:
            continue
        g, q = [r.gold for r in rs], [r.pred for r in rs]
        lab, mf1, _ = majority_baseline(g)
        p(f"{style:8} {len(rs):4d} {weighted_f1(g, q):6.3f} {accuracy(g, q):6.3f} "
          f"{weighted_f1([r.gold_type for r in rs], [r.pred_type for r in rs]):10.3f}   "
          f"wF1 {mf1:.3f} ('{lab}')")
    p("")
    fp, n_none, miss, n_events = none_rates(gold, pred)
    p(f"'none' false-positive rate: {fp:.3f} of {n_none} no-event texts given an event")
    p(f"miss rate: {miss:.3f} of {n_events} event texts given none")
    p("")
    p("killed count exact on incident notes:")
    for name, (num, den) in killed_scores(results).items():
        p(f"  {name:26} {share(num, den)}")
    p("")
    p(f"{'class':38} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}")
    for c in per_class(gold, pred):
        p(f"{c.label:38} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.support:5d} {c.predicted:5d}")
    p("")
    p("top confusions (gold -> predicted):")
    for (g, q), n in confusions(gold, pred):
        p(f"  {n:3d}  {g} -> {q}")
    if errors:
        p("")
        p(f"misclassified ({min(errors, sum(1 for r in results if r.gold != r.pred))} shown):")
        shown = 0
        for r in results:
            if r.gold == r.pred:
                continue
            if shown >= errors:
                break
            shown += 1
            trig = f" trigger '{r.main.trigger.text}' score {r.main.score:.2f}" if r.main else ""
            p(f"- {r.item['id']} [{r.item['style']}] gold {r.gold} | predicted {r.pred}{trig} "
              f"({len(r.mentions)} mentions)")
            p(f"    {r.item['text'][:400]!s}".replace("\n", " "))
    wrong = [r for r in results if r.item["style"] == "note" and r.killed != (r.item["killed"] or 0)]
    if killed_errors and wrong:
        p("")
        p(f"notes with a wrong killed count ({min(killed_errors, len(wrong))} of {len(wrong)} shown):")
        for r in wrong[:killed_errors]:
            counts = "; ".join(
                f"{m.sub_event_type}: " + (", ".join(f"{c.kind} '{c.text}'" for c in m.counts) or "-")
                for m in r.mentions)
            p(f"- {r.item['id']} gold {r.item['killed']} | predicted {r.killed}  [{counts}]")
            p(f"    {r.item['text'][:300]}")


def make_document(item: dict):
    from rashomon.ingest.sentences import split_sentences
    from rashomon.models import Document

    return Document(id=item["id"], source="dev", text=item["text"], published=None,
                    sentences=split_sentences(item["text"]))


# --- self-test: the scoring on hand-made cases and a keyword stub, no model needed ---------------------


def _self_test() -> None:
    from types import SimpleNamespace as NS

    def mention(sub, event_type, score, start, counts=(), trigger_start=None):
        return NS(sub_event_type=sub, event_type=event_type, score=score, start=start,
                  trigger=NS(text=sub, start=start if trigger_start is None else trigger_start),
                  counts=[NS(text=t, kind=k) for t, k in counts])

    def stub_count(text):  # digits only; 'dozens' 12
        words = text.split()
        if words and words[0].isdigit():
            return NS(best=int(words[0]), low=int(words[0]), high=int(words[0]))
        return NS(best=12, low=12, high=99) if words and words[0] == "dozens" else None

    # main mention: highest score, ties to the earliest in the text
    a = mention("Armed clash", "Battles", 0.6, 50)
    b = mention("Air/drone strike", "Explosions/Remote violence", 0.9, 80)
    c = mention("Attack", "Violence against civilians", 0.9, 10)
    d = mention("Attack", "Violence against civilians", 0.9, 10, trigger_start=5)
    assert main_mention([]) is None
    assert main_mention([a]) is a
    assert main_mention([a, b]) is b
    assert main_mention([a, b, c]) is c
    assert main_mention([c, d]) is d

    # killed: max over mentions of the main event type of each mention's summed killed counts
    m1 = mention("Armed clash", "Battles", 0.9, 0,
                 counts=[("4 HTS fighters", "killed"), ("2 soldiers", "killed"), ("7 others", "wounded")])
    m2 = mention("Armed clash", "Battles", 0.5, 60, counts=[("9 fighters", "killed")])
    m3 = mention("Attack", "Violence against civilians", 0.4, 90, counts=[("30 civilians", "killed")])
    m4 = mention("Armed clash", "Battles", 0.5, 99, counts=[("its pilot", "killed")])
    assert mention_killed(m1, stub_count) == 6
    assert mention_killed(m4, stub_count) is None
    assert predicted_killed([m1, m2, m3], m1, stub_count) == 9
    assert predicted_killed([m1, m3], m1, stub_count) == 6
    assert predicted_killed([m4], m4, stub_count) == 0
    assert predicted_killed([], None, stub_count) == 0
    assert predicted_killed([m1, m3], m1, stub_count, any_type=True) == 30

    # scores, checked by hand: classes A (3 gold), B (1 gold), none (2 gold)
    gold = ["A", "A", "A", "B", NONE, NONE]
    pred = ["A", "A", "B", "B", "A", NONE]
    cs = {c.label: c for c in per_class(gold, pred)}
    assert (cs["A"].precision, cs["A"].recall) == (2 / 3, 2 / 3)
    assert (cs["B"].precision, cs["B"].recall) == (0.5, 1.0)
    assert (cs[NONE].precision, cs[NONE].recall) == (1.0, 0.5)
    f1 = {"A": 2 / 3, "B": 2 / 3, NONE: 2 / 3}
    assert abs(weighted_f1(gold, pred) - (3 * f1["A"] + 1 * f1["B"] + 2 * f1[NONE]) / 6) < 1e-12
    assert abs(macro_f1(gold, pred) - 2 / 3) < 1e-12
    assert accuracy(gold, pred) == 4 / 6
    assert confusions(gold, pred) == [(("A", "B"), 1), ((NONE, "A"), 1)]
    assert majority_baseline(gold)[0] == "A" and majority_baseline(gold)[2] == 0.5
    assert none_rates(gold, pred) == (0.5, 2, 0.0, 4)
    # a predicted label with no gold support lowers precision elsewhere but has no weight itself
    assert weighted_f1(["A", "A"], ["A", "C"]) == (2 * (2 / 3)) / 2
    assert weighted_f1(["A"], ["A"]) == 1.0

    # end to end on a keyword stub extractor
    items = [
        {"id": "t1", "style": "note", "text": "Troops clashed with rebels. 4 rebels were killed.",
         "event_type": "Battles", "sub_event_type": "Armed clash", "killed": 4},
        {"id": "t2", "style": "note", "text": "Police dispersed a protest.", "event_type": "Protests",
         "sub_event_type": "Protest with intervention", "killed": None},
        {"id": "t3", "style": "snippet", "text": "Warplanes struck the town, killing dozens.",
         "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "killed": 12},
        {"id": "t4", "style": "snippet", "text": "An earthquake killed 40.", "event_type": None,
         "sub_event_type": None, "killed": None},
    ]

    def stub_extract(docs):
        out = []
        for doc in docs:
            ms = []
            if "clashed" in doc.text:
                ms.append(mention("Armed clash", "Battles", 0.9, 0, counts=[("4 rebels", "killed")]))
            if "struck" in doc.text:
                ms.append(mention("Air/drone strike", "Explosions/Remote violence", 0.9, 0,
                                  counts=[("dozens", "killed")]))
            if "earthquake" in doc.text:
                ms.append(mention("Attack", "Violence against civilians", 0.3, 0, counts=[("40", "killed")]))
            out.append(ms)
        return out

    results = evaluate(items, stub_extract, stub_count, lambda it: NS(id=it["id"], text=it["text"]))
    assert [r.pred for r in results] == ["Armed clash", NONE, "Air/drone strike", "Attack"]
    assert [r.killed for r in results] == [4, 0, 12, 40]
    ks = killed_scores(results)
    assert ks["all notes"] == (2, 2) and ks["notes stating a toll"] == (1, 1)
    assert ks["notes typed right"] == (1, 1) and ks["all notes, any-type rule"] == (2, 2)
    import io

    buf = io.StringIO()
    report(results, 0.0, errors=5, out=buf, killed_errors=5)
    text = buf.getvalue()
    assert "'none' false-positive rate: 1.000 of 1" in text and "t4 [snippet] gold none" in text
    print("self-test passed")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--style", choices=STYLES)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print N misclassified texts")
    ap.add_argument("--killed-errors", type=int, default=0, metavar="N",
                    help="print N incident notes whose killed count is wrong, with each mention's counts")
    ap.add_argument("--self-test", action="store_true", help="check the scoring functions, then exit")
    args = ap.parse_args(argv)
    if args.self_test:
        _self_test()
        return 0
    from rashomon.extract import extract_mentions
    from rashomon.nlp import load_model
    from rashomon.resolve.numbers import parse_count

    items = load(args.data, args.style, args.limit)
    load_model()
    start = time.perf_counter()
    results = evaluate(items, extract_mentions, parse_count, make_document)
    report(results, time.perf_counter() - start, args.errors, killed_errors=args.killed_errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
