"""Events: the mentions that describe one incident, within and across reports.

Mentions are taken in ingestion order and each joins the most fitting compatible event or founds a new one,
so an event's id (from its founding mention) never changes when later reports join it. Candidates come from
blocks (the mention's own document, and events within a few days of its date in its country), so the cost
grows with the number of mentions times the block size, not with the square of the corpus.

Compatible means: the same sub-event type (or a generic 'the attack' referring back within its report),
dates within each one's precision, places close or nested, no actor seen on both sides. Reports without a
date only merge within themselves: without a date nothing says two reports tell of one incident.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from rashomon.models import ResolvedMention

MERGE_KM = 40.0  # two places further apart are two incidents (closer ones may still disagree: claims.py)
UNDATED_WINDOW = timedelta(days=2)  # a report's own date stands for 'around then, before publication'
BLOCK_DAYS = 3
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p = math.pi / 180
    h = (
        math.sin((b[0] - a[0]) * p / 2) ** 2
        + math.cos(a[0] * p) * math.cos(b[0] * p) * math.sin((b[1] - a[1]) * p / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(h))


@dataclass
class Cluster:
    id: str
    members: list[ResolvedMention] = field(default_factory=list)
    new: bool = True  # founded in this run (else loaded from the store)

    @property
    def docs(self) -> set[str]:
        return {m.mention.doc_id for m in self.members}


def event_id(founding: ResolvedMention) -> str:
    return "ev-" + hashlib.blake2b(founding.mention.id.encode(), digest_size=6).hexdigest()


def _day(rm: ResolvedMention) -> date | None:
    return date.fromisoformat(rm.date.date) if rm.date and rm.date.date else None


def _dates_fit(a: ResolvedMention, b: ResolvedMention) -> bool:
    da, db = _day(a), _day(b)
    if da is None or db is None:
        anchors = (a.date.anchor if a.date else None, b.date.anchor if b.date else None)
        if all(anchors) and anchors[0] != anchors[1]:
            return False  # 'Tuesday' and 'Sunday' in an undated report are two days
        if da is None and db is None:
            return a.mention.doc_id == b.mention.doc_id
        return a.mention.doc_id == b.mention.doc_id
    if a.date.explicit and b.date.explicit:
        return _explicit_fit(a, b, da, db)
    # a date that is only the publication day: the incident happened on it or shortly before
    return abs((da - db).days) <= UNDATED_WINDOW.days


def _explicit_fit(a: ResolvedMention, b: ResolvedMention, da: date, db: date) -> bool:
    coarse = {"week": 7, "month": 31, "year": 366}
    slack = max(coarse.get(a.date.precision, 0), coarse.get(b.date.precision, 0))
    if a.date.start or b.date.start:  # 'since late Friday': a period running up to the report
        starts = [date.fromisoformat(x.date.start) for x in (a, b) if x.date.start]
        lo = min(starts) - timedelta(days=1)
        return lo <= da + timedelta(days=1) and lo <= db + timedelta(days=1) and abs((da - db).days) <= 7
    return abs((da - db).days) <= max(slack, 1 if a.mention.doc_id != b.mention.doc_id else 0)


def _places_fit(a: ResolvedMention, b: ResolvedMention) -> bool:
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        return True
    if pa.iso3 and pb.iso3 and pa.iso3 != pb.iso3:
        return False
    if (
        pa.kind in ("country", "admin1")
        or pb.kind in ("country", "admin1")
        or 3 in (pa.geo_precision, pb.geo_precision)
    ):
        coarse, fine = (pa, pb) if pa.kind in ("country", "admin1") or pa.geo_precision == 3 else (pb, pa)
        return (
            coarse.kind == "country" or not coarse.admin1 or not fine.admin1 or coarse.admin1 == fine.admin1
        )
    if None in (pa.lat, pb.lat):
        return True
    return km((pa.lat, pa.lon), (pb.lat, pb.lon)) <= MERGE_KM


def _name(actor) -> str | None:
    return actor.name if actor is not None and actor.known else None


def _roles_fit(a: ResolvedMention, b: ResolvedMention) -> bool:
    """No actor on both sides: 'Turkey downed a Syrian jet' and 'Syria downed a Turkish drone' are two. Only
    two known actors acting can say so: 'the pilot was killed in fighting with terrorists' names one side."""
    a1, a2, b1, b2 = _name(a.actor1), _name(a.actor2), _name(b.actor1), _name(b.actor2)
    if not (a1 and b1) or a1 == b1:
        return True
    return a1 != b2 and b1 != a2


def _generic(rm: ResolvedMention) -> bool:
    """'the attack', 'the assault': a mention whose type no context word backs, referring back."""
    return rm.mention.score < 1.0


def _types_fit(a: ResolvedMention, b: ResolvedMention) -> bool:
    ma, mb = a.mention, b.mention
    if (ma.event_type, ma.sub_event_type) == (mb.event_type, mb.sub_event_type):
        return True
    same_doc = ma.doc_id == mb.doc_id
    return same_doc and (_generic(a) or _generic(b)) and ma.event_type in VIOLENT and mb.event_type in VIOLENT


def _new_values(rm: ResolvedMention, cluster: Cluster) -> int:
    """On how many fields would the mention bring a value the event's reports do not claim? One is a
    disagreement between sources (the record shows it); two or more is another incident."""
    count = 0
    for side in ("actor1", "actor2"):
        mine = _name(getattr(rm, side))
        theirs = {_name(getattr(o, side)) for o in cluster.members} - {None}
        if mine and theirs and mine not in theirs:
            count += 1
    if rm.fatalities is not None:
        # a report's own counts add up (claims.document_tolls): only other reports' tolls can disagree
        ranges = [(o.fatalities.low, o.fatalities.high) for o in cluster.members
                  if o.fatalities is not None and o.mention.doc_id != rm.mention.doc_id]
        if ranges and not any(
            lo <= rm.fatalities.best <= hi or rm.fatalities.low <= lo <= rm.fatalities.high
            for lo, hi in ranges
        ):
            count += 1
    return count


SAME_PLACE_KM = 10.0


def _same_place_and_day(rm: ResolvedMention, cluster: Cluster) -> bool:
    """Told of the very place (a town, not a province) as one of the event's other reports, at a date that
    fits (`compatible` checks it): outlets that differ on both who did it and how many died still tell of
    one incident ('Russian warplanes killed 23 in Saraqib on Friday', 'regime jets killed 7 in Saraqib')."""
    p = rm.place
    if p is None or p.lat is None or p.geo_precision == 3 or p.kind in ("country", "admin1"):
        return False
    return any(
        o.place is not None and o.place.lat is not None and o.place.geo_precision != 3
        and o.place.kind not in ("country", "admin1")
        and km((p.lat, p.lon), (o.place.lat, o.place.lon)) <= SAME_PLACE_KM
        for o in cluster.members if o.mention.doc_id != rm.mention.doc_id
    )


def compatible(rm: ResolvedMention, cluster: Cluster) -> bool:
    fits = all(
        _types_fit(rm, o) and _dates_fit(rm, o) and _places_fit(rm, o) and _roles_fit(rm, o)
        for o in cluster.members
    )
    return fits and (_new_values(rm, cluster) < 2 or _same_place_and_day(rm, cluster))


def _fit_score(rm: ResolvedMention, cluster: Cluster) -> tuple:
    same_doc = rm.mention.doc_id in cluster.docs
    same_type = sum(1 for o in cluster.members if o.mention.sub_event_type == rm.mention.sub_event_type)
    shared_actor = sum(
        1
        for o in cluster.members
        if {_name(rm.actor1), _name(rm.actor2)} & {_name(o.actor1), _name(o.actor2)} - {None}
    )
    close = 0.0
    if rm.place is not None and rm.place.lat is not None:
        dists = [
            km((rm.place.lat, rm.place.lon), (o.place.lat, o.place.lon))
            for o in cluster.members
            if o.place is not None and o.place.lat is not None
        ]
        close = -min(dists) if dists else 0.0
    return (same_type > 0, same_doc, shared_actor, close, len(cluster.members))


def area(rm: ResolvedMention) -> str | None:
    """The block a mention is compared in across reports: its country (places in two countries never fit)."""
    return rm.place.iso3 if rm.place is not None and rm.place.iso3 else None


def kind(rm: ResolvedMention) -> tuple[str, str]:
    """(event type, sub-event type): across reports only mentions of one kind are one event (`_types_fit`)."""
    return rm.mention.event_type, rm.mention.sub_event_type


class Blocks:
    """Clusters indexed by document and by (day, country, kind), so a mention is compared with few: the
    clusters of its own report, and those of other reports within BLOCK_DAYS in its country told as the same
    kind of event (an event that takes in another report's mention has only members of that mention's kind:
    a generic 'the attack' joins only within its report). A mention with no country (no place at all, even
    the report's) merges only within its report: without a place, as without a date, nothing says two
    reports tell of one incident; and it would have to be compared with every event of those days, which at
    a feed's scale is all of them."""

    def __init__(self) -> None:
        self.by_doc: dict[str, list[Cluster]] = defaultdict(list)
        self.by_day: dict[tuple, list[Cluster]] = defaultdict(list)
        self._keys: dict[str, set[tuple]] = defaultdict(set)

    def add(self, cluster: Cluster, rm: ResolvedMention) -> None:
        if cluster not in self.by_doc[rm.mention.doc_id]:
            self.by_doc[rm.mention.doc_id].append(cluster)
        day, where = _day(rm), area(rm)
        if day is not None and where is not None:
            key = (day, where, kind(rm))
            if key not in self._keys[cluster.id]:
                self._keys[cluster.id].add(key)
                self.by_day[key].append(cluster)

    def candidates(self, rm: ResolvedMention) -> list[Cluster]:
        seen: dict[str, Cluster] = {c.id: c for c in self.by_doc.get(rm.mention.doc_id, [])}
        day, where = _day(rm), area(rm)
        if day is not None and where is not None:
            for offset in range(-BLOCK_DAYS, BLOCK_DAYS + 1):
                for c in self.by_day.get((day + timedelta(days=offset), where, kind(rm)), []):
                    seen.setdefault(c.id, c)
        return list(seen.values())


def founder(cluster: Cluster) -> ResolvedMention:
    """The mention that founded the event (its id comes from it); members loaded back from the store are in
    id order, not in the order they joined."""
    return next((rm for rm in cluster.members if event_id(rm) == cluster.id), cluster.members[0])


def cluster_mentions(mentions: list[ResolvedMention], existing: list[Cluster] | None = None) -> list[Cluster]:
    """Assign each mention (in the order given: ingestion order) to an event; returns every cluster that
    gained a member or was founded, existing ones first.

    The outcome depends only on the order of the mentions, not on how a run cuts them into batches nor on the
    order the existing clusters come in: among equally fitting events the one with the smallest id wins. So
    the mentions of separate blocks (see `rashomon.spark.blocks`) can be clustered apart, each block in
    ingestion order, with the same events as one pass over all of them."""
    blocks = Blocks()
    clusters: dict[str, Cluster] = {}
    for cluster in existing or []:
        clusters[cluster.id] = cluster
        for rm in cluster.members:
            blocks.add(cluster, rm)
    touched: dict[str, Cluster] = {}
    for rm in mentions:
        fits = [c for c in blocks.candidates(rm) if compatible(rm, c)]
        if fits:
            cluster = max(sorted(fits, key=lambda c: c.id), key=lambda c: _fit_score(rm, c))
        else:
            cid = event_id(rm)
            cluster = clusters.get(cid) or Cluster(cid)
            clusters[cid] = cluster
        cluster.members.append(rm)
        blocks.add(cluster, rm)
        touched[cluster.id] = cluster
    return list(touched.values())
