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
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rashomon.models import Place, ResolvedMention

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
    saved: int = 0  # members whose membership is in the store (`members` only grows: the first `saved`)
    recorded: int = 0  # members when its record was last written (see rashomon.pipeline.REFRESH_GROWTH)
    _facets: Facets | None = field(default=None, repr=False, compare=False)

    @property
    def docs(self) -> set[str]:
        return set(self.facets.docs)

    @property
    def facets(self) -> Facets:
        if self._facets is None:
            self._facets = Facets()
            for rm in self.members:
                self._facets.add(rm)
        return self._facets

    def add(self, rm: ResolvedMention) -> None:
        self.members.append(rm)
        if self._facets is not None:
            self._facets.add(rm)


def event_id(founding: ResolvedMention) -> str:
    return "ev-" + hashlib.blake2b(founding.mention.id.encode(), digest_size=6).hexdigest()


def _day(rm: ResolvedMention) -> date | None:
    return date.fromisoformat(rm.date.date) if rm.date and rm.date.date else None


# What the fit tests read of a date: (date, precision, start, explicit, anchor), None without a date value
DateSig = tuple | None


def _date_sig(rm: ResolvedMention) -> DateSig:
    d = rm.date
    return None if d is None else (d.date, d.precision, d.start, d.explicit, d.anchor)


@lru_cache(maxsize=100_000)
def _iso_day(iso: str) -> date:
    return date.fromisoformat(iso)


def _dates_fit(a: DateSig, b: DateSig, same_doc: bool) -> bool:
    da = _iso_day(a[0]) if a and a[0] else None
    db = _iso_day(b[0]) if b and b[0] else None
    if da is None or db is None:
        anchors = (a[4] if a else None, b[4] if b else None)
        if all(anchors) and anchors[0] != anchors[1]:
            return False  # 'Tuesday' and 'Sunday' in an undated report are two days
        return same_doc
    if a[3] and b[3]:  # both explicit
        return _explicit_fit(a, b, da, db, same_doc)
    # a date that is only the publication day: the incident happened on it or shortly before
    return abs((da - db).days) <= UNDATED_WINDOW.days


COARSE_DAYS = {"week": 7, "month": 31, "year": 366}


def _explicit_fit(a: tuple, b: tuple, da: date, db: date, same_doc: bool) -> bool:
    slack = max(COARSE_DAYS.get(a[1], 0), COARSE_DAYS.get(b[1], 0))
    if a[2] or b[2]:  # 'since late Friday': a period running up to the report
        lo = min(_iso_day(x[2]) for x in (a, b) if x[2]) - timedelta(days=1)
        return lo <= da + timedelta(days=1) and lo <= db + timedelta(days=1) and abs((da - db).days) <= 7
    return abs((da - db).days) <= max(slack, 0 if same_doc else 1)


def _coarse(p: Place) -> bool:
    return p.kind in ("country", "admin1") or p.geo_precision == 3


def _places_fit(pa: Place | None, pb: Place | None) -> bool:
    if pa is None or pb is None:
        return True
    if pa.iso3 and pb.iso3 and pa.iso3 != pb.iso3:
        return False
    if _coarse(pa) or _coarse(pb):
        coarse, fine = (pa, pb) if _coarse(pa) else (pb, pa)
        return (
            coarse.kind == "country" or not coarse.admin1 or not fine.admin1 or coarse.admin1 == fine.admin1
        )
    if None in (pa.lat, pb.lat):
        return True
    return km((pa.lat, pa.lon), (pb.lat, pb.lon)) <= MERGE_KM


def _place_sig(p: Place | None) -> tuple | None:
    """What the fit tests read of a place."""
    return None if p is None else (p.iso3, p.kind, p.geo_precision, p.admin1, p.lat, p.lon)


def _name(actor) -> str | None:
    return actor.name if actor is not None and actor.known else None


def _roles(rm: ResolvedMention) -> tuple[str | None, str | None]:
    return _name(rm.actor1), _name(rm.actor2)


def _roles_fit(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """No actor on both sides: 'Turkey downed a Syrian jet' and 'Syria downed a Turkish drone' are two. Only
    two known actors acting can say so: 'the pilot was killed in fighting with terrorists' names one side."""
    (a1, a2), (b1, b2) = a, b
    if not (a1 and b1) or a1 == b1:
        return True
    return a1 != b2 and b1 != a2


def _generic(rm: ResolvedMention) -> bool:
    """'the attack', 'the assault': a mention whose type no context word backs, referring back."""
    return rm.mention.score < 1.0


def kind(rm: ResolvedMention) -> tuple[str, str]:
    """(event type, sub-event type): across reports only mentions of one kind are one event (`_types_fit`)."""
    return rm.mention.event_type, rm.mention.sub_event_type


def _kind_sig(rm: ResolvedMention) -> tuple:
    return kind(rm), _generic(rm)


def _types_fit(a: tuple, b: tuple, same_doc: bool) -> bool:
    """Kind signatures (`_kind_sig`): one kind, or a generic 'the attack' beside a violent act of its own
    report."""
    (ka, ga), (kb, gb) = a, b
    if ka == kb:
        return True
    return same_doc and (ga or gb) and ka[0] in VIOLENT and kb[0] in VIOLENT


def _fine(p: Place | None) -> bool:
    return p is not None and p.lat is not None and not _coarse(p)


def _others(docs: set[str], doc: str) -> bool:
    """Does a report other than `doc` say it?"""
    return len(docs) > 1 or doc not in docs


class Facets:
    """What an event's members say, each distinct value once with the reports that say it. The tests of
    `compatible` and `_fit_score` are pairwise (a mention against every member, or counts over them), and
    each depends on the member only through one such value and whether it comes from the mention's own
    report; so they hold for every member when they hold for every distinct value, and an event that many
    reports tell is checked at the cost of its few distinct values."""

    def __init__(self) -> None:
        self.size = 0
        self.docs: set[str] = set()
        self.kinds: dict[tuple, set[str]] = {}
        self.dates: dict[DateSig, set[str]] = {}
        self.places: dict[tuple | None, tuple[Place | None, set[str]]] = {}
        self.roles: Counter = Counter()
        self.tolls: dict[tuple[int, int], set[str]] = {}
        self.sub_types: Counter = Counter()

    def add(self, rm: ResolvedMention) -> None:
        doc = rm.mention.doc_id
        self.size += 1
        self.docs.add(doc)
        self.kinds.setdefault(_kind_sig(rm), set()).add(doc)
        self.dates.setdefault(_date_sig(rm), set()).add(doc)
        self.places.setdefault(_place_sig(rm.place), (rm.place, set()))[1].add(doc)
        self.roles[_roles(rm)] += 1
        if rm.fatalities is not None:
            self.tolls.setdefault((rm.fatalities.low, rm.fatalities.high), set()).add(doc)
        self.sub_types[rm.mention.sub_event_type] += 1


class Probe:
    """What the fit tests read of one mention, read once, and their answers kept per distinct place and
    date: a mention is compared with every event of its blocks, and on a busy day those events share a few
    places and dates."""

    def __init__(self, rm: ResolvedMention) -> None:
        self.rm = rm
        self.doc = rm.mention.doc_id
        self.kind = _kind_sig(rm)
        self.date = _date_sig(rm)
        self.place = rm.place
        self.roles = _roles(rm)
        self._dates: dict[tuple, bool] = {}
        self._places: dict[tuple | None, bool] = {}
        self._km: dict[tuple | None, float] = {}

    def dates_fit(self, sig: DateSig, same_doc: bool) -> bool:
        fit = self._dates.get((sig, same_doc))
        if fit is None:
            fit = self._dates[sig, same_doc] = _dates_fit(self.date, sig, same_doc)
        return fit

    def places_fit(self, sig: tuple | None, place: Place | None) -> bool:
        fit = self._places.get(sig)
        if fit is None:
            fit = self._places[sig] = _places_fit(self.place, place)
        return fit

    def km(self, sig: tuple | None, place: Place) -> float:
        """km to `place` (whose `_place_sig` is `sig`); the probe's place and `place` have coordinates."""
        d = self._km.get(sig)
        if d is None:
            d = self._km[sig] = km((self.place.lat, self.place.lon), (place.lat, place.lon))
        return d


def _fits_every_member(p: Probe, f: Facets) -> bool:
    # places first: a block's events are of one kind and near one day, and its places tell them apart
    if not all(p.places_fit(sig, place) for sig, (place, _) in f.places.items()):
        return False
    doc = p.doc
    for sig, docs in f.kinds.items():
        if (_others(docs, doc) and not _types_fit(p.kind, sig, False)) or (
                doc in docs and not _types_fit(p.kind, sig, True)):
            return False
    for sig, docs in f.dates.items():
        if (_others(docs, doc) and not p.dates_fit(sig, False)) or (
                doc in docs and not p.dates_fit(sig, True)):
            return False
    return all(_roles_fit(p.roles, roles) for roles in f.roles)


def _new_values(p: Probe, f: Facets) -> int:
    """On how many fields would the mention bring a value the event's reports do not claim? One is a
    disagreement between sources (the record shows it); two or more is another incident."""
    count = 0
    for side, mine in enumerate(p.roles):
        theirs = {roles[side] for roles in f.roles} - {None}
        if mine and theirs and mine not in theirs:
            count += 1
    toll = p.rm.fatalities
    if toll is not None:
        # a report's own counts add up (claims.document_tolls): only other reports' tolls can disagree
        ranges = [toll for toll, docs in f.tolls.items() if _others(docs, p.doc)]
        if ranges and not any(lo <= toll.best <= hi or toll.low <= lo <= toll.high for lo, hi in ranges):
            count += 1
    return count


SAME_PLACE_KM = 10.0


def _same_place_and_day(p: Probe, f: Facets) -> bool:
    """Told of the very place (a town, not a province) as one of the event's other reports, at a date that
    fits (`compatible` checks it): outlets that differ on both who did it and how many died still tell of
    one incident ('Russian warplanes killed 23 in Saraqib on Friday', 'regime jets killed 7 in Saraqib')."""
    if not _fine(p.place):
        return False
    return any(
        _fine(o) and _others(docs, p.doc) and p.km(sig, o) <= SAME_PLACE_KM
        for sig, (o, docs) in f.places.items()
    )


def compatible(p: Probe, cluster: Cluster) -> bool:
    f = cluster.facets
    return _fits_every_member(p, f) and (_new_values(p, f) < 2 or _same_place_and_day(p, f))


def _fit_score(p: Probe, cluster: Cluster) -> tuple:
    f = cluster.facets
    same_doc = p.doc in f.docs
    same_type = f.sub_types[p.rm.mention.sub_event_type]
    mine = set(p.roles)
    shared_actor = sum(n for roles, n in f.roles.items() if mine & (set(roles) - {None}))
    close = 0.0
    if p.place is not None and p.place.lat is not None:
        dists = [p.km(sig, o) for sig, (o, _) in f.places.items() if o is not None and o.lat is not None]
        close = -min(dists) if dists else 0.0
    return (same_type > 0, same_doc, shared_actor, close, f.size)


def area(rm: ResolvedMention) -> str | None:
    """The block a mention is compared in across reports: its country (places in two countries never fit)."""
    return rm.place.iso3 if rm.place is not None and rm.place.iso3 else None


BlockKey = tuple  # (day, country ISO3, (event type, sub-event type))


def member_key(rm: ResolvedMention) -> BlockKey | None:
    """The key an event is found under for having this member: the member's day, country and kind."""
    day, where = _day(rm), area(rm)
    return None if day is None or where is None else (day, where, kind(rm))


def block_keys(rm: ResolvedMention) -> list[BlockKey]:
    """The keys of the events other reports' mentions may join: the mention's kind in its country, within
    BLOCK_DAYS of its day. None for a mention without a day or a country: it merges only within its report
    (without a place, as without a date, nothing says two reports tell of one incident; and it would have to
    be compared with every event of those days, which at a feed's scale is all of them)."""
    key = member_key(rm)
    if key is None:
        return []
    day, where, what = key
    return [(day + timedelta(days=offset), where, what) for offset in range(-BLOCK_DAYS, BLOCK_DAYS + 1)]


class EventIndex:
    """Events indexed by block key (day, country, kind), so a mention is compared with few: those of other
    reports within BLOCK_DAYS in its country told as the same kind of event (an event that takes in another
    report's mention has only members of that mention's kind: a generic 'the attack' joins only within its
    report). The clusters of the mention's own report come from `cluster_mentions`.

    `rashomon analyze` keeps one index from batch to batch: a key is `complete` once every stored event
    found under it is held (`load`), and the keys used least recently are let go when the members held pass
    `limit` (`evict`), so memory stays bounded however long the feed; a key let go is loaded again when a
    later mention needs it."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.clusters: dict[str, Cluster] = {}  # the clusters found under at least one key
        self.by_key: dict[BlockKey, dict[str, Cluster]] = {}
        self.complete: OrderedDict[BlockKey, None] = OrderedDict()  # least recently used first
        self.members = 0  # members of the clusters held
        self._keys: dict[str, set[BlockKey]] = {}  # cluster id -> the keys it is found under

    def _register(self, cluster: Cluster, rm: ResolvedMention) -> None:
        key = member_key(rm)
        if key is None:
            return
        keys = self._keys.setdefault(cluster.id, set())
        if key in keys:
            return
        if cluster.id not in self.clusters:
            self.clusters[cluster.id] = cluster
            self.members += len(cluster.members)
        keys.add(key)
        self.by_key.setdefault(key, {})[cluster.id] = cluster

    def add(self, cluster: Cluster, rm: ResolvedMention) -> None:
        """`rm` has joined `cluster` (or founded it)."""
        if cluster.id in self.clusters:
            self.members += 1
        self._register(cluster, rm)

    def candidates(self, rm: ResolvedMention) -> dict[str, Cluster]:
        found: dict[str, Cluster] = {}
        for key in block_keys(rm):
            found.update(self.by_key.get(key, {}))
        return found

    def missing(self, keys: Iterable[BlockKey]) -> list[BlockKey]:
        """The keys among `keys` whose stored events may not all be held."""
        return [key for key in dict.fromkeys(keys) if key not in self.complete]

    def load(self, clusters: Iterable[Cluster], keys: Iterable[BlockKey]) -> None:
        """Take in the stored events found under `keys` (those held already stay as they are, and are found
        under these keys again), and mark the keys complete."""
        for cluster in clusters:
            held = self.clusters.get(cluster.id, cluster)
            for rm in held.members:
                self._register(held, rm)
        for key in keys:
            self.complete[key] = None

    def touch(self, keys: Iterable[BlockKey]) -> None:
        """Mark `keys` used now (the last to be let go)."""
        for key in keys:
            if key in self.complete:
                self.complete.move_to_end(key)

    def evict(self) -> None:
        """Let go of the keys used least recently, and of the clusters no complete key holds, while the
        members held pass `limit`."""
        while self.limit is not None and self.members > self.limit and self.complete:
            key, _ = self.complete.popitem(last=False)
            for cid, cluster in self.by_key.pop(key, {}).items():
                keys = self._keys[cid]
                keys.discard(key)
                # a loaded event is also found under its other members' keys, which may never be complete
                # (never needed since): held only there, it would never be let go
                if any(k in self.complete for k in keys):
                    continue
                for other in keys:
                    held = self.by_key.get(other, {})
                    held.pop(cid, None)
                    if not held:
                        self.by_key.pop(other, None)
                del self._keys[cid]
                del self.clusters[cid]
                self.members -= len(cluster.members)


def founder(cluster: Cluster) -> ResolvedMention:
    """The mention that founded the event (its id comes from it); members loaded back from the store are in
    id order, not in the order they joined."""
    return next((rm for rm in cluster.members if event_id(rm) == cluster.id), cluster.members[0])


def cluster_mentions(mentions: list[ResolvedMention], index: EventIndex | None = None) -> list[Cluster]:
    """Assign each mention (in the order given: ingestion order) to an event; returns every cluster that
    gained a member or was founded.

    Candidates are the events of the mention's own report and those `index` finds for it (held across
    batches by `rashomon analyze`; a fresh one otherwise). The outcome depends only on the order of the
    mentions, not on how a run cuts them into batches nor on the order the candidates come in: among equally
    fitting events the one with the smallest id wins. So the mentions of separate blocks (see
    `rashomon.spark.blocks`) can be clustered apart, each block in ingestion order, with the same events as
    one pass over all of them."""
    index = index if index is not None else EventIndex()
    by_doc: dict[str, dict[str, Cluster]] = defaultdict(dict)  # the events of each report, this call
    touched: dict[str, Cluster] = {}
    for rm in mentions:
        candidates = index.candidates(rm)
        candidates.update(by_doc[rm.mention.doc_id])
        probe = Probe(rm)
        fits = [c for c in candidates.values() if compatible(probe, c)]
        if fits:
            cluster = max(sorted(fits, key=lambda c: c.id), key=lambda c: _fit_score(probe, c))
        else:
            cid = event_id(rm)
            cluster = touched.get(cid) or index.clusters.get(cid) or Cluster(cid)
        cluster.add(rm)
        index.add(cluster, rm)
        by_doc[rm.mention.doc_id][cluster.id] = cluster
        touched[cluster.id] = cluster
    return list(touched.values())
