"""Claims: for every field of an event, the distinct values its reports claim, who claims each, and where
they disagree. The record's value for a field is its best-supported claim; nothing is averaged.

Support counts independent sources: mentions whose sentences come from one origin (wire copy reused by
another outlet) count once, as do several sentences of one report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache, lru_cache
from importlib import resources

import yaml

from rashomon.fuse.events import Cluster, km
from rashomon.models import Claim, Count, ResolvedMention
from rashomon.resolve import count_of
from rashomon.resolve.numbers import parse_integer

CONFLICT_KM = 20.0
FIELDS = ("event_type", "date", "location", "actor1", "actor2", "fatalities")
SPECIFIC = {"locality": 0, "feature": 0, "admin3": 1, "admin2": 2, "admin1": 3, "country": 4}


def _source_of(rm: ResolvedMention) -> str:
    """The document the words first appeared in: reused copy and repeated sentences are one source."""
    return rm.origin.rsplit(":", 1)[0] if rm.origin else rm.mention.doc_id


def _value(field: str, rm: ResolvedMention):
    """(key, JSON value, label) of what one mention claims for a field, or None if it claims nothing."""
    m = rm.mention
    if field == "event_type":
        key = f"{m.event_type} / {m.sub_event_type}"
        return key, {"event_type": m.event_type, "sub_event_type": m.sub_event_type}, m.sub_event_type
    if field == "date":
        if rm.date is None or rm.date.date is None or not rm.date.explicit:
            return None
        return rm.date.date, {"date": rm.date.date, "precision": rm.date.precision}, rm.date.date
    if field == "location":
        p = rm.place
        if p is None:
            return None
        value = {
            "name": p.name,
            "admin1": p.admin1,
            "country": p.country,
            "iso3": p.iso3,
            "lat": p.lat,
            "lon": p.lon,
            "geo_precision": p.geo_precision,
            "kind": p.kind,
        }
        return p.gazetteer_id or f"{p.name}|{p.admin1}|{p.iso3}", value, p.name
    if field in ("actor1", "actor2"):
        a = getattr(rm, field)
        if a is None:
            return None
        return a.name, {"name": a.name, "kind": a.kind, "country": a.country}, a.name
    raise ValueError(field)  # fatalities are claimed per report: _fatality_claims


@cache
def _generic_victims() -> frozenset[str]:
    data = yaml.safe_load(resources.files("rashomon.fuse").joinpath("data/tolls.yaml").read_text("utf-8"))
    return frozenset(w.lower() for w in data["generic_victims"])


@lru_cache(maxsize=10_000)  # the same few words name victims across reports: parse each once
def _generic(who: str | None) -> bool:
    return who is None or who in _generic_victims() or parse_integer(who) is not None


def _combined(parts: list[tuple[str | None, Count]]) -> Count | None:
    """One report's toll from its counts (tolls.yaml): named groups add up, a group told twice counts once
    (the larger), and a count of 'people' stands when it is larger than the groups' sum."""
    generic = [c for who, c in parts if _generic(who)]
    groups: dict[str, Count] = {}
    for who, c in parts:
        if _generic(who):
            continue
        same = next((k for k, g in groups.items() if k == who or g.best == c.best), who)
        if same not in groups or groups[same].best < c.best:
            groups.pop(same, None)
            groups[who] = c
    named = list(groups.values())
    summed = Count(sum(c.best for c in named), sum(c.low for c in named), sum(c.high for c in named),
                   "; ".join(c.text for c in named)) if len(named) > 1 else (named[0] if named else None)
    best_generic = max(generic, key=lambda c: c.best) if generic else None
    if best_generic is None or (summed is not None and summed.best > best_generic.best):
        return summed
    return best_generic


def document_tolls(members: list[ResolvedMention]) -> list[tuple[Count, list[ResolvedMention]]]:
    """The killed counts one report gives an event, with the mentions behind each: usually one toll summed
    over its sentences; several when a sentence sets sources against each other ('the army acknowledged 6
    soldiers killed, while JNIM claimed to have killed more than 30'): each side's figure is then a claim of
    its own, with the rest of the report's counts."""
    parts: list[tuple[ResolvedMention, str | None, Count]] = []
    seen: set[tuple[int, int]] = set()
    for rm in members:
        for span in rm.mention.counts:
            key = (rm.mention.sentence_index, span.start)
            if span.kind != "killed" or key in seen:
                continue
            seen.add(key)
            c = count_of(span.text)
            if c is not None:
                parts.append((rm, span.who, c))
    if not parts:
        return []
    voices_of: dict[int, set[str | None]] = defaultdict(set)
    for rm, _, _ in parts:
        voices_of[rm.mention.sentence_index].add(rm.attributed_to)
    disputed = {s for s, voices in voices_of.items() if len(voices - {None}) > 1}
    common = [p for p in parts if p[0].mention.sentence_index not in disputed]
    voices = sorted({p[0].attributed_to or "" for p in parts if p[0].mention.sentence_index in disputed})
    out = []
    for voice in voices or [None]:
        chosen = common + [p for p in parts if p[0].mention.sentence_index in disputed
                           and (p[0].attributed_to or "") == voice]
        toll = _combined([(who, c) for _, who, c in chosen])
        if toll is not None:
            out.append((toll, [rm for rm, _, _ in chosen]))
    return out


def _fatality_claims(members: list[ResolvedMention]) -> list[Claim]:
    """Fatalities are claimed per report (its counts added up, `document_tolls`), then grouped by value."""
    by_doc: dict[str, list[ResolvedMention]] = defaultdict(list)
    for rm in members:
        by_doc[rm.mention.doc_id].append(rm)
    groups: dict[int, Claim] = {}
    sources: dict[int, set[str]] = defaultdict(set)
    for doc_members in by_doc.values():
        for toll, behind in document_tolls(doc_members):
            claim = groups.get(toll.best)
            if claim is None:
                value = {"best": toll.best, "low": toll.low, "high": toll.high}
                claim = Claim(field="fatalities", value=value, label=toll.text, hedged=True)
                groups[toll.best] = claim
            _back(claim, behind, sources[toll.best])
    for key, claim in groups.items():
        claim.support = len(sources[key])
    return list(groups.values())


def _back(claim: Claim, behind: list[ResolvedMention], sources: set[str]) -> None:
    """Record the mentions behind a claim: their ids, reports, sources and hedging."""
    for rm in behind:
        if rm.mention.id not in claim.mention_ids:
            claim.mention_ids.append(rm.mention.id)
        if rm.mention.doc_id not in claim.doc_ids:
            claim.doc_ids.append(rm.mention.doc_id)
        who = rm.attributed_to or rm.outlet
        if who and who not in claim.attributed_to:
            claim.attributed_to.append(who)
        claim.hedged = claim.hedged and rm.mention.hedged
        sources.add(_source_of(rm))


def field_claims(field: str, members: list[ResolvedMention]) -> list[Claim]:
    if field == "fatalities":
        return _fatality_claims(members)
    groups: dict[str, Claim] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    for rm in members:
        found = _value(field, rm)
        if found is None:
            continue
        key, value, label = found
        claim = groups.get(key)
        if claim is None:
            claim = groups[key] = Claim(field=field, value=value, label=label, hedged=True)
        _back(claim, [rm], sources[key])
    for key, claim in groups.items():
        claim.support = len(sources[key])
    return list(groups.values())


def _location_rank(claim: Claim, claims: list[Claim]) -> tuple:
    """A place is backed by its own sources and by those naming a province or country containing it."""
    v = claim.value
    backing = claim.support + sum(o.support for o in claims if o is not claim and _contains(o.value, v))
    specific = -SPECIFIC.get(_kind(v), 0)
    return backing, not claim.hedged, specific


def _kind(v: dict) -> str:
    if v.get("kind"):
        return "locality" if v["kind"] not in ("admin1", "country") else v["kind"]
    if v.get("geo_precision") == 3 and v.get("admin1") == v.get("name"):
        return "admin1"
    if v.get("name") == v.get("country"):
        return "country"
    return "locality"


def _contains(outer: dict, inner: dict) -> bool:
    kind = _kind(outer)
    if kind == "country":
        return outer.get("iso3") == inner.get("iso3") and _kind(inner) != "country"
    if kind == "admin1":
        return outer.get("admin1") == inner.get("admin1") and _kind(inner) == "locality"
    return False


def best_claim(field: str, claims: list[Claim]) -> Claim | None:
    if not claims:
        return None
    if field == "location":
        return max(claims, key=lambda c: _location_rank(c, claims))
    if field == "fatalities":  # among equally supported tolls the lower stands (ACLED's conservative rule)
        return max(claims, key=lambda c: (c.support, not c.hedged, -c.value["best"]))
    return max(claims, key=lambda c: (c.support, not c.hedged, len(c.mention_ids)))


def conflicts(claims: dict[str, list[Claim]], known_actors: set[str]) -> list[str]:
    """Fields on which the sources disagree, as DESIGN.md defines disagreement."""
    out = []
    places = [
        c.value
        for c in claims.get("location", [])
        if _kind(c.value) == "locality" and c.value.get("lat") is not None
    ]
    if any(
        km((a["lat"], a["lon"]), (b["lat"], b["lon"])) > CONFLICT_KM
        for i, a in enumerate(places)
        for b in places[i + 1 :]
    ):
        out.append("location")
    for field in ("actor1", "actor2"):
        # two known actors claimed by different voices (reports, or the sources a report quotes); one
        # voice naming two victims ('four civilians ... a police officer also died') is no disagreement
        named = [c for c in claims.get(field, []) if c.value["name"] in known_actors]
        voices = [set(c.doc_ids) | set(c.attributed_to) for c in named]
        if any(voices[i] != voices[k] for i in range(len(named)) for k in range(i + 1, len(named))):
            out.append(field)
    counts = [c.value for c in claims.get("fatalities", [])]
    if counts and max(c["low"] for c in counts) > min(c["high"] for c in counts):
        out.append("fatalities")
    days = sorted(c.value["date"] for c in claims.get("date", []) if c.value["precision"] == "day")
    if len(days) > 1:
        if (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days > 1:
            out.append("date")
    return out


def _claim_json(c: Claim) -> dict:
    # its values are plain JSON already: no deep copy (dataclasses.asdict was a tenth of fusion's time)
    return {"value": c.value, "label": c.label, "mention_ids": list(c.mention_ids),
            "doc_ids": list(c.doc_ids), "attributed_to": list(c.attributed_to), "support": c.support,
            "hedged": c.hedged}


def event_record(cluster: Cluster, story: str | None = None) -> dict:
    """The event record exactly as `rashomon events --format jsonl` prints it (DESIGN.md)."""
    # a total order (several mentions may share a sentence), so claims and ties come out the same whatever
    # order the members were gathered in
    members = sorted(cluster.members, key=lambda rm: (rm.mention.doc_id, rm.mention.sentence_index,
                                                      rm.mention.trigger.start, rm.mention.id))
    claims = {f: field_claims(f, members) for f in FIELDS}
    known = {a.name for rm in members for a in (rm.actor1, rm.actor2) if a is not None and a.known}
    disputed = conflicts(claims, known)
    chosen = {f: best_claim(f, claims[f]) for f in FIELDS}
    kind = (
        chosen["event_type"].value if chosen["event_type"] else {"event_type": None, "sub_event_type": None}
    )
    undated = all(rm.date is None or rm.date.date is None for rm in members)
    if chosen["date"] is not None:
        when, precision = chosen["date"].value["date"], chosen["date"].value["precision"]
    elif not undated:  # only the reports' own dates: the earliest, at day precision
        when = min(rm.date.date for rm in members if rm.date and rm.date.date)
        precision = "day"
    else:
        when, precision = None, "none"
    location = chosen["location"].value if chosen["location"] else None
    if location is not None and claims["location"]:
        # the value's precision is the best any claim of that place gives ('in' over 'near')
        same = [c for c in claims["location"] if c.value["name"] == location["name"]]
        location = {k: v for k, v in location.items() if k != "kind"}
        location["geo_precision"] = min(c.value["geo_precision"] for c in same)
    fatalities = chosen["fatalities"].value if chosen["fatalities"] else {"best": 0, "low": 0, "high": 0}
    sources = len({_source_of(rm) for rm in members})
    mean_score = sum(rm.mention.score for rm in members) / len(members)
    confidence = round(
        max(0.05, min(1.0, (0.45 + 0.15 * min(sources, 3)) * mean_score - 0.1 * len(disputed))), 2
    )
    mentions = [
        {
            "id": rm.mention.id,
            "doc_id": rm.mention.doc_id,
            "source": rm.source,
            "outlet": rm.outlet,
            "published": rm.published,
            "sentence": rm.mention.sentence,
            "start": rm.mention.start,
            "end": rm.mention.end,
            "trigger": rm.mention.trigger.text,
            "attributed_to": rm.attributed_to,
            "hedged": rm.mention.hedged,
        }
        for rm in members
    ]
    return {
        "id": cluster.id,
        "story": story,
        "event_type": kind["event_type"],
        "sub_event_type": kind["sub_event_type"],
        "date": when,
        "date_precision": precision,
        "location": location,
        "actor1": chosen["actor1"].value if chosen["actor1"] else None,
        "actor2": chosen["actor2"].value if chosen["actor2"] else None,
        "fatalities": fatalities,
        "summary": _summary(kind, chosen, when, location, fatalities, sources),
        "mentions": mentions,
        "claims": {f: [_claim_json(c) for c in claims[f]] for f in FIELDS if claims[f]},
        "conflicts": disputed,
        "confidence": confidence,
    }


def _summary(kind: dict, chosen: dict, when, location, fatalities: dict, sources: int) -> str:
    who = chosen["actor1"].value["name"] if chosen["actor1"] else "unknown actor"
    whom = f" against {chosen['actor2'].value['name']}" if chosen["actor2"] else ""
    where = (
        f" in {location['name']}"
        + (
            f" ({location['admin1']})"
            if location.get("admin1") and location["admin1"] != location["name"]
            else ""
        )
        if location
        else ""
    )
    day = f" on {when}" if when else ""
    toll = f"; {fatalities['best']} killed" if fatalities["best"] else ""
    return (
        f"{kind['sub_event_type']}: {who}{whom}{where}{day}{toll} "
        f"({sources} source{'s' if sources != 1 else ''})"
    )
