"""Plain data passed between the stages of the flow (see DESIGN.md).

ingest -> Document (+ Sentence) -> extract -> Mention -> resolve -> ResolvedMention -> fuse -> Event, Story

Offsets (`start`, `end`) are character offsets into `Document.text`, the cleaned text that is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    # key of the normalised sentence; equal keys across documents mark reused (wire) copy
    fingerprint: str = ""
    # (doc_id, sentence index) of the earliest stored occurrence of this sentence, if reused
    reused_from: tuple[str, int] | None = None


@dataclass
class Document:
    id: str
    source: str  # the file path or URL the report came from
    text: str  # cleaned main text: no page boilerplate, no metadata header
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD, or None when unknown (never the clock)
    url: str | None = None
    dateline: str | None = None  # e.g. "ANKARA, Turkey (AP)"
    content_hash: str = ""
    duplicate_of: str | None = None  # id of an earlier document this one (nearly) repeats
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Span:
    text: str
    start: int  # offsets into Document.text
    end: int


@dataclass
class PlaceSpan(Span):
    relation: str = "in"  # in | near | north of | ... (how the place relates to the event)


@dataclass
class CountSpan(Span):
    kind: str = "killed"  # killed | wounded | captured | displaced | destroyed
    who: str | None = None  # head noun the count is about: 'soldiers', 'civilians', 'tanks'


@dataclass
class Mention:
    """One event mention in one sentence, as written (nothing resolved yet)."""

    id: str
    doc_id: str
    sentence_index: int
    start: int  # the sentence's offsets into Document.text
    end: int
    sentence: str
    trigger: Span
    event_type: str
    sub_event_type: str
    actor1: Span | None = None
    actor2: Span | None = None
    instrument: Span | None = None
    places: list[PlaceSpan] = field(default_factory=list)
    time: Span | None = None
    counts: list[CountSpan] = field(default_factory=list)
    attributed_to: str | None = None
    hedged: bool = False
    score: float = 1.0  # how sure the extractor is that this is an event of this type


@dataclass(frozen=True)
class Place:
    name: str
    admin1: str | None
    country: str | None
    iso3: str | None
    lat: float | None
    lon: float | None
    geo_precision: int  # ACLED: 1 the named place, 2 near it or a wider area, 3 only the province
    kind: str = "locality"  # locality | admin1 | admin2 | country | feature
    gazetteer_id: str | None = None
    population: int = 0  # the gazetteer's figure (0 when it has none): how well known a name is


@dataclass(frozen=True)
class DateValue:
    date: str | None  # ISO date, None when it cannot be resolved
    precision: str  # day | week | month | year | none
    start: str | None = None  # 'since December 15' gives a start
    text: str | None = None  # the words it came from
    explicit: bool = True  # False when only the publication date stands behind it
    # a relative expression that could not be anchored ('Tuesday' in an undated report); two mentions
    # with different anchors are not the same day even when both dates are None
    anchor: str | None = None


@dataclass(frozen=True)
class Actor:
    name: str  # canonical name ("Military Forces of Russia"), or the text itself when unknown
    kind: str  # state forces | rebel group | political militia | identity militia | civilians | ...
    country: str | None = None  # ISO3
    parent: str | None = None
    text: str | None = None  # as written in the sentence
    known: bool = True  # False when the catalog did not know it


@dataclass(frozen=True)
class Count:
    best: int
    low: int
    high: int
    text: str


@dataclass
class ResolvedMention:
    mention: Mention
    place: Place | None = None
    date: DateValue | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    fatalities: Count | None = None
    attributed_to: str | None = None  # canonical name of who the sentence says makes the claim
    # where the mention's words came from for fusion's source counting: mentions sharing an origin are
    # one source (wire copy reused across outlets)
    origin: str = ""
    outlet: str | None = None
    published: str | None = None
    source: str | None = None


@dataclass
class Claim:
    field: str
    value: object  # a plain JSON value: str, number, or dict
    label: str  # how the value is shown
    mention_ids: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    attributed_to: list[str] = field(default_factory=list)
    support: int = 0  # independent sources (reused copy counted once)
    hedged: bool = False


@dataclass
class Event:
    id: str
    story: str | None
    event_type: str
    sub_event_type: str
    date: str | None
    date_precision: str
    location: dict | None
    actor1: dict | None
    actor2: dict | None
    fatalities: dict | None
    summary: str
    mention_ids: list[str]
    claims: dict[str, list[Claim]]
    conflicts: list[str]
    confidence: float


@dataclass
class Story:
    id: str
    title: str
    doc_ids: list[str]
    event_ids: list[str]
    start: str | None
    end: str | None


def resolved_mention_from_dict(d: dict) -> ResolvedMention:
    """Rebuild a ResolvedMention from its JSON form (the `data` column of the mentions table)."""
    m = dict(d["mention"])
    for key in ("trigger", "actor1", "actor2", "instrument", "time"):
        if m.get(key) is not None:
            m[key] = Span(**m[key])
    m["places"] = [PlaceSpan(**p) for p in m.get("places") or []]
    m["counts"] = [CountSpan(**c) for c in m.get("counts") or []]
    return ResolvedMention(
        mention=Mention(**m),
        place=Place(**d["place"]) if d.get("place") else None,
        date=DateValue(**d["date"]) if d.get("date") else None,
        actor1=Actor(**d["actor1"]) if d.get("actor1") else None,
        actor2=Actor(**d["actor2"]) if d.get("actor2") else None,
        fatalities=Count(**d["fatalities"]) if d.get("fatalities") else None,
        attributed_to=d.get("attributed_to"),
        origin=d.get("origin", ""),
        outlet=d.get("outlet"),
        published=d.get("published"),
        source=d.get("source"),
    )
