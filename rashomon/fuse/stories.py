"""Stories: the documents about one developing situation, grouped incrementally.

A document joins the story whose profile it is most like: the words it uses (its mean cosine with the story's
documents: average link, so a story that has drifted over many reports asks more of a newcomer than its
latest report would), the places and actors its mentions resolve to, and its date (a story spans days, not
months).
Otherwise it founds a new story. Profiles are kept in the store, so reports analysed later join the stories
of earlier runs and story ids never change.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from rashomon.models import Document, ResolvedMention

PROFILE_TERMS = 300
YEAR_WEIGHT = 2.0  # a named year as a word said twice (ECB+ dev F1 0.875; 0.863 at 1, 0.854 at 4)
# similarity to join a story (bench/stories_ecb.py, ECB+ dev B-cubed F1: 0.876 at 0.20, 0.903 at 0.22,
# 0.901 at 0.25, 0.878 at 0.28; with the profile cosine this replaced, 0.872 at best)
JOIN_AT = 0.22
JOIN_UNDATED_AT = 0.4  # a report without a date must be more alike: its time cannot speak for it
SHARED_BONUS = 0.05  # places or actors in common add a little (ECB+ names few; more did not help there)
MAX_GAP_DAYS = 14


@dataclass
class StoryProfile:
    id: str
    title: str
    terms: dict[str, float] = field(default_factory=dict)  # the sum of its documents' unit word vectors
    places: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    start: str | None = None
    end: str | None = None
    doc_ids: list[str] = field(default_factory=list)
    size: int = 1  # documents summed in `terms`
    # start and end as day numbers, kept beside the ISO dates: every report of a batch is compared with
    # every story loaded for it, and most are dropped on their dates
    lo: int | None = field(default=None, repr=False, compare=False)
    hi: int | None = field(default=None, repr=False, compare=False)
    _vector: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.dated()

    def dated(self) -> None:
        """Set `lo` and `hi` from `start` and `end`."""
        self.lo = _day(self.start).toordinal() if self.start else None
        self.hi = _day(self.end or self.start).toordinal() if self.start else None

    def vector(self) -> tuple[np.ndarray, np.ndarray]:
        """(word columns, weights over `size`): `terms` for `StoryShortlist`, kept until the story changes
        (in 32 bits: some 2.4 KB a story; the shortlist's margin covers their rounding)."""
        if self._vector is None:
            columns = np.fromiter((_column(w) for w in self.terms), dtype=np.int32, count=len(self.terms))
            weights = np.fromiter(self.terms.values(), dtype=np.float64, count=len(self.terms))
            self._vector = columns, (weights / max(1, self.size)).astype(np.float32)
        return self._vector

    def to_json(self) -> dict:
        return {"terms": self.terms, "places": sorted(self.places), "actors": sorted(self.actors),
                "size": self.size}

    @classmethod
    def from_json(cls, id: str, title: str, profile: dict, start: str | None,
                  end: str | None) -> StoryProfile:
        terms = dict(profile.get("terms", {}))
        size = int(profile.get("size", 0))
        if not size:  # a profile written before `size` was kept: its terms taken as one document's
            terms, size = _unit(terms), 1
        return cls(id, title, terms, set(profile.get("places", [])), set(profile.get("actors", [])), start,
                   end, size=size)


def terms_of(text: str) -> Counter:
    """Content words with sublinear counts (a word said ten times is not ten times the topic), names the
    text capitalises weighing one more: who and where tell situations apart better than common words."""
    words = Counter(
        w
        for w in re.findall(r"[a-z][a-z'-]{2,}", text.lower())
        if w not in STOP_WORDS and not w.endswith("'s")
    )
    weights = Counter({w: 1 + math.log(n) for w, n in words.items()})
    for name in set(re.findall(r"\b[A-Z][a-z]{2,}\b", text)):
        if name.lower() in weights:
            weights[name.lower()] += 1.0
    # the years a report names: two situations alike in words are often told apart by when they were
    years = Counter(re.findall(r"\b(?:19[5-9]\d|20[0-4]\d)\b", text))
    for year, n in years.items():
        weights[year] = YEAR_WEIGHT * (1 + math.log(n))
    return weights


def _unit(terms: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in terms.values()))
    return {w: v / norm for w, v in terms.items()} if norm else {}


def _mean_cosine(unit: dict[str, float], story: StoryProfile) -> float:
    """The document's mean cosine with the story's documents: the dot product with the sum of their unit
    vectors, over their number."""
    if not unit or not story.terms:
        return 0.0
    terms = story.terms
    # the shared words only, found by a set operation in C (a report meets hundreds of stories, each with
    # up to PROFILE_TERMS words); fsum is exact, so the sum does not depend on the set's order
    shared = unit.keys() & terms.keys()
    return math.fsum([unit[w] * terms[w] for w in shared]) / max(1, story.size) if shared else 0.0


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@lru_cache(maxsize=100_000)
def _day(iso: str) -> date:
    return date.fromisoformat(iso)  # stories are compared with every report of a batch: parse each date once


_COLUMNS: dict[str, int] = {}  # word -> its column in every story vector (one vocabulary for the process)


def _column(word: str) -> int:
    column = _COLUMNS.get(word)
    if column is None:
        column = _COLUMNS[word] = len(_COLUMNS)
    return column


# a story scoring below this on words cannot be joined: places and actors add at most 2 * SHARED_BONUS
# (the margin covers the rounding of 32-bit weights summed in another order)
_SHORTLIST_AT = JOIN_AT - 2 * SHARED_BONUS - 1e-4


class StoryShortlist:
    """The stories a batch of reports is compared with (a list in the store's order, which breaks ties), with
    their word vectors indexed by word, so that a report is compared exactly (`_similarity`) only with the
    stories whose words could reach JOIN_AT, found by one sparse product in numpy: a report meets hundreds
    to thousands of stories near its date on a busy feed, and comparing each in Python grew with the corpus.
    Stories changed or founded since the index was built are always compared exactly, so the story chosen
    is the one the full comparison would choose."""

    def __init__(self, stories: list[StoryProfile]):
        self.stories = stories
        self.indexed = len(stories)
        self.changed: set[int] = set()  # positions of indexed stories that have taken in a report since
        self.position = {s.id: i for i, s in enumerate(stories)}
        vectors = [s.vector() for s in stories]
        columns = np.concatenate([c for c, _ in vectors]) if vectors else np.zeros(0, np.int32)
        weights = np.concatenate([w for _, w in vectors]) if vectors else np.zeros(0, np.float32)
        rows = np.repeat(np.arange(self.indexed), [len(c) for c, _ in vectors])
        order = np.argsort(columns, kind="stable")  # by word: a report's words are then a few slices
        self.rows, self.weights = rows[order], weights[order]
        self.starts = np.searchsorted(columns[order], np.arange(len(_COLUMNS) + 1))
        # the days a report may have to be compared with each story (an undated story: any day)
        undated = (-(2**40), 2**40)
        spans = [(s.lo - MAX_GAP_DAYS, s.hi + MAX_GAP_DAYS) if s.lo is not None else undated for s in stories]
        self.first, self.last = np.array(spans, np.int64).reshape(-1, 2).T

    def candidates(self, unit: dict[str, float], day: int | None = None) -> list[StoryProfile]:
        """The stories a report (its unit word vector, its day number if dated) may join, in list order."""
        found = [(_COLUMNS.get(word, -1), value) for word, value in unit.items()]
        columns = np.array([c for c, _ in found], np.int64)
        values = np.array([v for _, v in found], np.float32)
        known = (columns >= 0) & (columns + 1 < len(self.starts))
        columns, values = columns[known], values[known]
        # the postings of the report's words, gathered without a loop: slice [lo, hi) of each word's
        lo, hi = self.starts[columns], self.starts[columns + 1]
        sizes = hi - lo
        total = int(sizes.sum())
        near = set(self.changed)
        if total:
            at = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(total)
            products = self.weights[at] * np.repeat(values, sizes)
            scores = np.bincount(self.rows[at], products, minlength=self.indexed)
            alike = scores >= _SHORTLIST_AT
            if day is not None:
                alike &= (self.first <= day) & (day <= self.last)
            near.update(np.flatnonzero(alike).tolist())
        near.update(range(self.indexed, len(self.stories)))
        return [self.stories[i] for i in sorted(near)]

    def taken(self, story: StoryProfile) -> None:
        """`story` has taken in a report (or been founded and appended)."""
        at = self.position.get(story.id)
        if at is not None and at < self.indexed:
            self.changed.add(at)


def similarity(terms: Counter, places: set[str], actors: set[str], story: StoryProfile) -> float:
    """Mostly words: the mean cosine with the story's documents; the places and actors its mentions resolve to
    add a little when shared and take nothing away when not (a report naming none says nothing either way)."""
    unit = _unit(dict(terms))
    return _similarity(unit, places, actors, story)


def _similarity(unit: dict[str, float], places: set[str], actors: set[str], story: StoryProfile) -> float:
    return _mean_cosine(unit, story) + SHARED_BONUS * (
        _jaccard(places, story.places) + _jaccard(actors, story.actors))


def story_id(doc_id: str) -> str:
    return "st-" + hashlib.blake2b(doc_id.encode(), digest_size=6).hexdigest()


def story_features(doc: Document, mentions: list[ResolvedMention]) -> tuple[Counter, set[str], set[str]]:
    """What a document is compared with stories on: its words, and the places and actors its mentions name."""
    terms = terms_of(f"{doc.title or ''}\n{doc.text}")
    places = {p for rm in mentions if rm.place for p in (rm.place.name, rm.place.admin1) if p}
    actors = {a.name for rm in mentions for a in (rm.actor1, rm.actor2) if a is not None and a.known}
    return terms, places, actors


def assign_story(doc: Document, mentions: list[ResolvedMention],
                 stories: list[StoryProfile] | StoryShortlist) -> StoryProfile:
    """Put one document in a story (updating that story's profile, or founding one) and return it."""
    terms, places, actors = story_features(doc, mentions)
    return assign_features(doc.id, doc.title or doc.text[:80], doc.published, terms, places, actors, stories)


def assign_features(doc_id: str, title: str, published: str | None, terms: Counter, places: set[str],
                    actors: set[str], stories: list[StoryProfile] | StoryShortlist) -> StoryProfile:
    """`assign_story` on a document's features (`story_features`), so that they can be computed where the
    document is and the assignment, which needs every story, done elsewhere (the Spark path's driver).
    `stories` is every story to compare with, or their `StoryShortlist` (the same choice, sooner)."""
    best, best_sim = None, 0.0
    unit = _unit(dict(terms))
    day = _day(published).toordinal() if published else None
    shortlist = stories if isinstance(stories, StoryShortlist) else None
    for story in shortlist.candidates(unit, day) if shortlist is not None else stories:
        # a story more than MAX_GAP_DAYS from the report's day is another situation
        if day is not None and story.lo is not None and not (
                story.lo - MAX_GAP_DAYS <= day <= story.hi + MAX_GAP_DAYS):
            continue
        sim = _similarity(unit, places, actors, story)
        need = JOIN_AT if published and story.start else JOIN_UNDATED_AT
        if published is None and story.start is None:
            need = JOIN_AT
        if sim >= need and sim > best_sim:
            best, best_sim = story, sim
    if best is None:
        best = StoryProfile(story_id(doc_id), title, size=0)
        (shortlist.stories if shortlist is not None else stories).append(best)
    _absorb(best, doc_id, published, unit, places, actors)
    if shortlist is not None:
        shortlist.taken(best)
    return best


def _absorb(story: StoryProfile, doc_id: str, published: str | None, unit: dict[str, float], places: set[str],
            actors: set[str]) -> None:
    """Add a document (its unit word vector and the rest) to a story. The profile keeps the PROFILE_TERMS
    heaviest words, as Counter.most_common would (heaviest first, ties in the order met), by one sort:
    most_common's heap over some 400 words was most of this."""
    merged = dict(story.terms)
    for word, v in unit.items():
        merged[word] = merged.get(word, 0) + v
    story.terms = dict(sorted(merged.items(), key=itemgetter(1), reverse=True)[:PROFILE_TERMS])
    story.size += 1
    story._vector = None
    story.places |= places
    story.actors |= actors
    story.doc_ids.append(doc_id)
    if published:
        story.start = min(filter(None, [story.start, published]))
        story.end = max(filter(None, [story.end, published]))
        story.dated()
