"""Read-only queries behind the REST API.

The server opens the database once, read-only (DuckDB lets many read-only connections share a file, but no
writer while they are open), and gives every worker thread its own cursor on that connection. Filtering uses
the columns of `events`; what goes out is the event record kept in `events.record`, unchanged.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import date

import duckdb

from rashomon.store import Store

# ACLED event types and sub-event types (DESIGN.md): the `type` filter accepts these and those in the db
ACLED_TYPES: dict[str, list[str]] = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                                   "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}

SORTS = {
    "date": "e.date ASC NULLS LAST, e.id",
    "-date": "e.date DESC NULLS LAST, e.id",
    "fatalities": "e.fatalities ASC NULLS LAST, e.date NULLS LAST, e.id",
    "-fatalities": "e.fatalities DESC NULLS LAST, e.date NULLS LAST, e.id",
}

# one lower-cased text per event for `q`: what a reader sees of it (not the JSON keys of the record)
SEARCH_TEXT = (
    "lower(concat_ws(' ', e.id, e.summary, e.location_name, e.admin1, e.country, e.actor1, e.actor2, "
    "e.event_type, e.sub_event_type, "
    "array_to_string(json_extract_string(e.record, '$.mentions[*].sentence'), ' '), "
    "array_to_string(json_extract_string(e.record, '$.mentions[*].outlet'), ' '), "
    "array_to_string(json_extract_string(e.record, '$.mentions[*].attributed_to'), ' '), "
    "array_to_string(json_extract_string(e.record, '$.claims.*[*].label'), ' '), "
    "array_to_string(json_extract_string(e.record, '$.claims.*[*].attributed_to[*]'), ' ')))"
)
# one brief item per event (a few columns, for maps and lists) as JSON text
BRIEF_JSON = (
    "json_object('id', e.id, 'story', e.story_id, 'event_type', e.event_type, "
    "'sub_event_type', e.sub_event_type, 'date', e.date, 'date_precision', e.date_precision, "
    "'location', json_object('name', e.location_name, 'admin1', e.admin1, 'country', e.country, "
    "'lat', e.lat, 'lon', e.lon), 'actor1', e.actor1, 'actor2', e.actor2, 'fatalities', e.fatalities, "
    "'disputed', coalesce(e.disputed, false), 'conflicts', x.conflicts, 'confidence', e.confidence, "
    "'summary', e.summary, 'mentions', x.mentions)::VARCHAR"
)
# built once when the server starts, in memory: the text that `q` searches and the brief items, which would
# otherwise be parsed out of every record on every request
INDEX = "memory.main.event_index"
BUILD_INDEX = (
    f"CREATE TABLE {INDEX} AS WITH x AS (SELECT e.id, {SEARCH_TEXT} AS search, "
    "coalesce(json_extract_string(e.record, '$.conflicts[*]'), []::VARCHAR[]) AS conflicts, "
    "(SELECT count(*) FROM event_mentions em WHERE em.event_id = e.id)::INTEGER AS mentions FROM events e) "
    f"SELECT x.id, x.search, {BRIEF_JSON} AS brief FROM events e JOIN x ON x.id = e.id"
)


@dataclass
class EventFilter:
    start: date | None = None
    end: date | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    types: list[str] = field(default_factory=list)
    actor: str | None = None
    disputed: bool | None = None
    q: str | None = None
    story: str | None = None

    def where(self) -> tuple[str, list]:
        clauses: list[str] = []
        params: list = []
        if self.start:
            clauses.append("e.date >= ?")
            params.append(self.start)
        if self.end:
            clauses.append("e.date <= ?")
            params.append(self.end)
        if self.bbox:
            minlon, minlat, maxlon, maxlat = self.bbox
            clauses.append("e.lat BETWEEN ? AND ?")
            params += [minlat, maxlat]
            if minlon <= maxlon:
                clauses.append("e.lon BETWEEN ? AND ?")
                params += [minlon, maxlon]
            else:  # the box crosses the antimeridian
                clauses.append("(e.lon >= ? OR e.lon <= ?)")
                params += [minlon, maxlon]
        if self.types:
            lowered = [t.lower() for t in self.types]
            clauses.append("(lower(e.event_type) IN (SELECT unnest(?::VARCHAR[])) "
                           "OR lower(e.sub_event_type) IN (SELECT unnest(?::VARCHAR[])))")
            params += [lowered, lowered]
        if self.actor:
            clauses.append("(strpos(lower(coalesce(e.actor1, '')), ?) > 0 "
                           "OR strpos(lower(coalesce(e.actor2, '')), ?) > 0 "
                           "OR EXISTS (SELECT 1 FROM claims c WHERE c.event_id = e.id "
                           "AND c.field IN ('actor1', 'actor2') "
                           "AND strpos(lower(coalesce(c.label, '')), ?) > 0))")
            params += [self.actor.lower()] * 3
        if self.disputed is not None:
            clauses.append("coalesce(e.disputed, false) = ?")
            params.append(self.disputed)
        if self.q:
            words = self.q.lower().split()
            clauses.append(f"e.id IN (SELECT id FROM {INDEX} WHERE "
                           + " AND ".join(["strpos(search, ?) > 0"] * len(words)) + ")")
            params += words
        if self.story:
            clauses.append("e.story_id = ?")
            params.append(self.story)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [{k: _iso(v) for k, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


class Database:
    """The database file attached read-only to an in-memory DuckDB (which holds the search index); a cursor
    per worker thread."""

    def __init__(self, path: str):
        Store.open(path, read_only=True).close()  # raises StoreError for a missing or outdated file
        self.path = path
        self.con = duckdb.connect(":memory:")
        quoted = str(path).replace("'", "''")
        self.con.execute(f"ATTACH '{quoted}' AS src (READ_ONLY)")
        self.con.execute("USE src")
        self.con.execute(BUILD_INDEX)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cursors: list[duckdb.DuckDBPyConnection] = []

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            with self._lock:
                cur = self.con.cursor()
                cur.execute("USE src")
                self._cursors.append(cur)
            self._local.cursor = cur
        return cur

    def close(self) -> None:
        with self._lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
            self.con.close()

    # -- overview ------------------------------------------------------------------------------------
    def summary(self) -> dict:
        cur = self.cursor()
        counts = cur.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM events WHERE disputed), "
            "(SELECT count(*) FROM events WHERE date IS NULL), "
            "(SELECT count(*) FROM events WHERE lat IS NULL OR lon IS NULL), "
            "(SELECT min(date) FROM events), (SELECT max(date) FROM events), "
            "(SELECT count(*) FROM documents), (SELECT count(*) FROM stories), "
            "(SELECT count(*) FROM mentions), (SELECT count(*) FROM stale_events)").fetchone()
        types = cur.execute(
            "SELECT event_type, sub_event_type, count(*) FROM events WHERE event_type IS NOT NULL "
            "GROUP BY ALL ORDER BY event_type, sub_event_type").fetchall()
        by_type: dict[str, dict] = {}
        for event_type, sub, n in types:
            entry = by_type.setdefault(event_type,
                                       {"event_type": event_type, "count": 0, "sub_event_types": []})
            entry["count"] += n
            if sub:
                entry["sub_event_types"].append({"sub_event_type": sub, "count": n})
        return {"events": counts[0], "disputed": counts[1], "undated": counts[2], "unlocated": counts[3],
                "date_min": _iso(counts[4]), "date_max": _iso(counts[5]), "documents": counts[6],
                "stories": counts[7], "mentions": counts[8],
                # records lagging their reports: an `analyze` stopped before its end (run it again)
                "stale": counts[9], "types": list(by_type.values())}

    def known_types(self) -> set[str]:
        rows = self.cursor().execute(
            "SELECT DISTINCT event_type FROM events UNION SELECT DISTINCT sub_event_type FROM events"
        ).fetchall()
        known = {t.lower() for t in ACLED_TYPES} | {s.lower() for subs in ACLED_TYPES.values() for s in subs}
        return known | {r[0].lower() for r in rows if r[0]}

    # -- events --------------------------------------------------------------------------------------
    def count_events(self, flt: EventFilter) -> int:
        where, params = flt.where()
        return self.cursor().execute(f"SELECT count(*) FROM events e{where}", params).fetchone()[0]

    def event_records(self, flt: EventFilter, limit: int, offset: int, sort: str) -> list[str]:
        """The matching event records as JSON text, exactly as stored."""
        where, params = flt.where()
        rows = self.cursor().execute(
            f"SELECT e.record FROM events e{where} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            params + [limit, offset]).fetchall()
        return [r[0] for r in rows]

    def event_briefs(self, flt: EventFilter, limit: int, offset: int, sort: str) -> list[str]:
        """Brief items (a few columns, for maps and lists) as JSON text."""
        where, params = flt.where()
        rows = self.cursor().execute(
            f"SELECT x.brief FROM events e JOIN {INDEX} x ON x.id = e.id{where} "
            f"ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
        return [r[0] for r in rows]

    def event(self, event_id: str) -> dict | None:
        cur = self.cursor()
        row = cur.execute("SELECT record, story_id FROM events WHERE id = ?", [event_id]).fetchone()
        if row is None:
            return None
        record = json.loads(row[0])
        doc_ids: list[str] = []
        for m in record.get("mentions") or []:
            doc_ids.append(m.get("doc_id"))
        for claims in (record.get("claims") or {}).values():
            for claim in claims or []:
                doc_ids += claim.get("doc_ids") or []
        doc_ids += [r[0] for r in cur.execute(
            "SELECT DISTINCT m.doc_id FROM event_mentions em JOIN mentions m ON m.id = em.mention_id "
            "WHERE em.event_id = ?", [event_id]).fetchall()]
        wanted = list(dict.fromkeys(d for d in doc_ids if d))
        docs = _dicts(cur.execute(
            "SELECT id, title, outlet, published, source, url, duplicate_of FROM documents "
            "WHERE id IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq", [wanted])) if wanted else []
        story = None
        if row[1]:
            found = cur.execute("SELECT id, title, start_date, end_date FROM stories WHERE id = ?",
                                [row[1]]).fetchone()
            if found:
                story = {"id": found[0], "title": found[1], "start": _iso(found[2]), "end": _iso(found[3])}
        return {"event": record, "documents": docs, "story": story}

    # -- stories -------------------------------------------------------------------------------------
    def _story_rows(self, where: str, params: list, limit: int | None = None, offset: int = 0) -> list[dict]:
        page = " LIMIT ? OFFSET ?" if limit is not None else ""
        params = params + ([limit, offset] if limit is not None else [])
        rows = self.cursor().execute(
            "SELECT s.id, s.title, s.start_date, s.end_date, "
            "(SELECT list(sd.doc_id ORDER BY d.seq) FROM story_documents sd "
            " JOIN documents d ON d.id = sd.doc_id WHERE sd.story_id = s.id) AS doc_ids, "
            "(SELECT list(e.id ORDER BY e.date NULLS LAST, e.id) FROM events e "
            " WHERE e.story_id = s.id) AS event_ids "
            f"FROM stories s{where} ORDER BY s.start_date NULLS LAST, s.id{page}", params).fetchall()
        return [{"id": r[0], "title": r[1], "start": _iso(r[2]), "end": _iso(r[3]), "doc_ids": r[4] or [],
                 "event_ids": r[5] or []} for r in rows]

    def count_stories(self) -> int:
        return self.cursor().execute("SELECT count(*) FROM stories").fetchone()[0]

    def stories(self, limit: int, offset: int) -> list[dict]:
        return self._story_rows("", [], limit, offset)

    def story(self, story_id: str) -> dict | None:
        rows = self._story_rows(" WHERE s.id = ?", [story_id])
        if not rows:
            return None
        story = rows[0]
        briefs = self.event_briefs(EventFilter(story=story_id), limit=1_000_000, offset=0, sort="date")
        story["events"] = [json.loads(b) for b in briefs]
        story["documents"] = _dicts(self.cursor().execute(
            "SELECT d.id, d.title, d.outlet, d.published, d.source, d.url, d.duplicate_of FROM documents d "
            "JOIN story_documents sd ON sd.doc_id = d.id WHERE sd.story_id = ? ORDER BY d.seq", [story_id]))
        return story

    # -- documents -----------------------------------------------------------------------------------
    def count_documents(self) -> int:
        return self.cursor().execute("SELECT count(*) FROM documents").fetchone()[0]

    def documents(self, limit: int, offset: int) -> list[dict]:
        return _dicts(self.cursor().execute(
            "SELECT d.id, d.title, d.outlet, d.published, d.source, d.url, d.words, d.duplicate_of, "
            "(SELECT count(*) FROM mentions m WHERE m.doc_id = d.id) AS mentions, "
            "(SELECT sd.story_id FROM story_documents sd WHERE sd.doc_id = d.id) AS story "
            "FROM documents d ORDER BY d.seq LIMIT ? OFFSET ?", [limit, offset]))

    def document(self, doc_id: str) -> dict | None:
        cur = self.cursor()
        doc = Store(cur, self.path).document(doc_id)
        if doc is None:
            return None
        mentions = _dicts(cur.execute(
            "SELECT m.id, m.sentence_index, m.start_char AS start, m.end_char AS end, m.event_type, "
            "m.sub_event_type, m.trigger, m.attributed_to, m.hedged, em.event_id FROM mentions m "
            "LEFT JOIN event_mentions em ON em.mention_id = m.id WHERE m.doc_id = ? "
            "ORDER BY m.sentence_index, m.id", [doc_id]))
        by_sentence: dict[int, list[dict]] = {}
        for m in mentions:
            by_sentence.setdefault(m["sentence_index"], []).append(m)
        for sentence in doc["sentences"]:
            used = by_sentence.get(sentence["idx"], [])
            sentence["used"] = bool(used)
            sentence["mention_ids"] = [m["id"] for m in used]
            sentence["event_ids"] = list(dict.fromkeys(m["event_id"] for m in used if m["event_id"]))
        doc["mentions"] = mentions
        doc["event_ids"] = list(dict.fromkeys(m["event_id"] for m in mentions if m["event_id"]))
        row = cur.execute("SELECT story_id FROM story_documents WHERE doc_id = ?", [doc_id]).fetchone()
        doc["story"] = row[0] if row else None
        return doc
