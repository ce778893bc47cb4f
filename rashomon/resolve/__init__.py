"""Resolve: what a mention's spans mean. Places to gazetteer entries, time words to dates, names to canonical
actors, count words to numbers, 'X said' to a canonical source (see DESIGN.md, 'The flow').

Each field is resolved in the document's own context: the country and province the report is about (from
the places it names), and its publication date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from rashomon.models import Count, DateValue, Document, Mention, Place, ResolvedMention
from rashomon.resolve.actors import actor_catalog
from rashomon.resolve.dates import resolve_date
from rashomon.resolve.numbers import parse_count
from rashomon.resolve.places import gazetteer

__all__ = ["DocumentContext", "document_context", "resolve_mentions", "sentence_origins", "set_origins"]

# A mention dated this long before its report is background ('Moscow began air strikes in September 2015'),
# not news: 'last month' (up to ~62 days back) still counts.
STALE_AFTER = timedelta(days=62)
PLACE_VOTE_CHARS = 1500  # how much of a report (its lede) is searched for places naming its country
SPECIFICITY = {"locality": 0, "feature": 0, "admin3": 1, "admin2": 2, "admin1": 3, "country": 4}
_SINGULAR_OWNER = re.compile(r"^(?:only\s+)?(?:its|his|her|their|the|a|an|one)\s+\w+$", re.IGNORECASE)


@dataclass
class DocumentContext:
    country: str | None  # ISO3 of the country the report is mostly about
    countries: list[str]  # every country it names, most named first
    admin1: str | None  # the province most of its places are in
    points: list[tuple[float, float]]  # the points of the places it names, for choosing among homonyms


def _country_votes(texts: list[str]) -> Counter:
    gaz = gazetteer()
    votes: Counter = Counter()
    for text in texts:
        for word in re.findall(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?\b", text):
            found = gaz.country(word)
            if found:
                votes[found[1]] += 1
    return votes


def document_context(doc: Document, mentions: list[Mention]) -> DocumentContext:
    """The country and province a report is about: countries by how often they are named, provinces by
    the places its mentions name (resolved within the leading countries)."""
    votes = _country_votes([doc.title or "", doc.text])
    named = set(votes)  # countries the report names in words
    # the places the text names anywhere ('in Aleppo city', a dateline): a well-known one says where the
    # report is, a village shares its name with too many abroad to say much
    gaz = gazetteer()
    head = f"{doc.title or ''}\n{doc.text[:PLACE_VOTE_CHARS]}"
    # each name once, in the order of the text: votes that tie go to the country named first, whatever the
    # process's string hashing (a set's order would vary from one worker to the next)
    for surface in dict.fromkeys(s for _, _, s in gaz.find_names(head)):
        iso3 = _well_known_country(surface)
        if iso3:
            votes[iso3] += 1
            named.add(iso3)
    countries = [c for c, _ in votes.most_common(3)]
    admin1_votes: Counter = Counter()
    points: list[tuple[float, float]] = []
    for m in mentions:
        for span in m.places:
            place = _lookup(span.text, countries, None, None, span.relation)
            if place is None:
                continue
            if place.iso3:
                # a named place says more than a nationality word, a well-known one more than a village
                # that shares its name with one abroad ('Mayo' beside 'Khartoum')
                known = place.kind in ("country", "admin1") or place.population >= 100_000
                votes[place.iso3] += 3 if known else 2
            if place.admin1 and place.kind != "country":
                admin1_votes[(place.admin1, place.iso3)] += 1
            if place.lat is not None and place.kind not in ("country", "admin1"):
                points.append((place.lat, place.lon))
    ranked = votes.most_common(3)
    # a second country needs its name in the text or a well-known place: a village named like one abroad
    # brings no country of its own
    countries = [c for k, (c, n) in enumerate(ranked) if k == 0 or c in named or n >= 3]
    admin1 = None
    if admin1_votes:
        (admin1, iso3), _ = admin1_votes.most_common(1)[0]
        if countries and iso3 != countries[0]:
            countries = [iso3, *[c for c in countries if c != iso3]]
    return DocumentContext(countries[0] if countries else None, countries, admin1, points[:20])


@lru_cache(maxsize=50_000)
def _well_known_country(surface: str) -> str | None:
    """The country of a well-known place (a country, a province, a city of 100,000) named so, else None."""
    place = gazetteer().lookup(surface)
    if place is None or not place.iso3:
        return None
    return place.iso3 if place.kind in ("country", "admin1") or place.population >= 100_000 else None


def _lookup(name: str, countries: list[str], admin1: str | None, near, relation: str) -> Place | None:
    if near is None:
        return _lookup_cached(name, tuple(countries), admin1, relation)
    return _lookup_uncached(name, countries, admin1, near, relation)


@lru_cache(maxsize=50_000)
def _lookup_cached(name: str, countries: tuple[str, ...], admin1: str | None, relation: str) -> Place | None:
    return _lookup_uncached(name, list(countries), admin1, None, relation)


def _lookup_uncached(name: str, countries: list[str], admin1: str | None, near,
                     relation: str) -> Place | None:
    gaz = gazetteer()
    # a report's countries bound its places: a name none of them has is unknown, not a namesake far away
    for country in countries or [None]:
        place = gaz.lookup(
            name,
            country=country,
            admin1=admin1 if country == (countries or [None])[0] else None,
            near=near,
            relation=relation,
        )
        if place is not None:
            return place
    return None


def _place(mention: Mention, ctx: DocumentContext) -> Place | None:
    """The most specific place among the first-ranked ones the mention names that the gazetteer knows;
    else the document's province (geo_precision 3); else its country."""
    resolved: list[Place] = []
    for span in mention.places:
        place = _lookup(span.text, ctx.countries, ctx.admin1, ctx.points or None, span.relation)
        if place is not None:
            resolved.append(place)
    if resolved:
        # the extractor ranked the spans (the act's object, its clause, the sentence): keep its first, unless
        # a later one lies inside it, so 'near Maaret al-Numan in Idlib province' is Maaret al-Numan
        best = resolved[0]
        for place in resolved[1:]:
            inside = place.iso3 == best.iso3 and (best.kind == "country" or (
                best.kind == "admin1" and place.admin1 == best.admin1))
            if inside and SPECIFICITY.get(place.kind, 0) < SPECIFICITY.get(best.kind, 0):
                best = place
        return best
    gaz = gazetteer()
    if ctx.admin1:
        found = gaz.admin1_of(ctx.admin1, ctx.country)
        if found is not None:
            return replace(found, geo_precision=3)
    return None


def _date(mention: Mention, published: str | None) -> DateValue:
    return resolve_date(mention.time.text if mention.time else None, published)


def _stale(value: DateValue, published: str | None) -> bool:
    if not value.date or not published or not value.explicit:
        return False
    return date.fromisoformat(value.date) < date.fromisoformat(published) - STALE_AFTER


def count_of(text: str) -> Count | None:
    """'more than 90 Syrian troops' -> 90; 'its pilot', 'the pilot' -> 1 (one person, in the singular)."""
    found = parse_count(text)
    if found is not None:
        return found
    if _SINGULAR_OWNER.match(text.strip()) and not text.strip().lower().endswith("s"):
        return Count(1, 1, 1, text)
    return None


def _fatalities(mention: Mention) -> Count | None:
    """The mention's killed count: the sum when it names several groups killed ('two soldiers ... and a
    third'), each at ACLED's conservative best."""
    counts = [c for c in (count_of(span.text) for span in mention.counts if span.kind == "killed") if c]
    if not counts:
        return None
    if len(counts) == 1:
        return counts[0]
    return Count(
        sum(c.best for c in counts),
        sum(c.low for c in counts),
        sum(c.high for c in counts),
        "; ".join(c.text for c in counts),
    )


def sentence_origins(doc: Document) -> dict[int, str]:
    """Where each sentence's words first appeared ('doc_id:sentence'): reused wire copy (the sentence's
    `reused_from` link) and lines a report repeats are one source."""
    reused: dict[int, str] = {}
    first_seen: dict[str, int] = {}
    for s in doc.sentences:
        key = " ".join(s.text.lower().split())
        first = first_seen.setdefault(key, s.index)
        reused[s.index] = (
            f"{s.reused_from[0]}:{s.reused_from[1]}"
            if s.reused_from
            else reused.get(first, f"{doc.id}:{first}")
        )
    return reused


def set_origins(doc: Document, resolved: list[ResolvedMention]) -> None:
    """Point each mention at where its sentence first appeared, once the document's reuse links are known
    (`analyze` extracts a batch while it links it)."""
    reused = sentence_origins(doc)
    for rm in resolved:
        rm.origin = reused.get(rm.mention.sentence_index, f"{doc.id}:{rm.mention.sentence_index}")


def resolve_mentions(doc: Document, mentions: list[Mention]) -> list[ResolvedMention]:
    """Resolved values for each mention of one document; mentions dated long before the report are
    background and are dropped here."""
    if not mentions:
        return []
    ctx = document_context(doc, mentions)
    actors = actor_catalog()
    reused = sentence_origins(doc)
    out: list[ResolvedMention] = []
    for m in mentions:
        when = _date(m, doc.published)
        if _stale(when, doc.published):
            continue
        out.append(
            ResolvedMention(
                mention=m,
                place=_place(m, ctx),
                date=when,
                actor1=actors.resolve(m.actor1.text, country=ctx.country) if m.actor1 else None,
                actor2=actors.resolve(m.actor2.text, country=ctx.country) if m.actor2 else None,
                fatalities=_fatalities(m),
                attributed_to=actors.source(m.attributed_to) if m.attributed_to else None,
                origin=reused.get(m.sentence_index, f"{doc.id}:{m.sentence_index}"),
                outlet=doc.outlet,
                published=doc.published,
                source=doc.source,
            )
        )
    return out
