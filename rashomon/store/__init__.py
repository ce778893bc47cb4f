"""Store: one DuckDB file holds the corpus, the mentions, the events and the stories.

The schema is versioned: each file in migrations/ is one version, applied in order, each in its own
transaction, so a database made by an older Rashomon is brought up to date when it is opened.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa

from rashomon.fuse.events import BlockKey, member_key
from rashomon.models import Document, ResolvedMention, resolved_mention_from_dict

DEFAULT_DB = "rashomon.duckdb"
DB_MEMORY = "1GB"  # DuckDB's memory limit (RASHOMON_DB_MEMORY overrides it)
SMALL_INSERT = 1000  # rows: up to this many, one statement of typed lists beats registering an Arrow table


class StoreError(Exception):
    pass


def migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("rashomon.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        m = re.match(r"(\d+)_(\w+)\.sql$", entry.name)
        if m:
            found.append((int(m[1]), m[2], entry.read_text("utf-8")))
    return sorted(found)


def _fields_of(value):
    """The encoder's fallback for what JSON has no form for (sets, paths ...): its text. Dataclasses are
    written as their fields by orjson itself."""
    return str(value)


def to_json(value) -> str:
    """The JSON text of plain values and dataclasses (their fields, as dataclasses.asdict gives them). orjson,
    not the json module: event records, story profiles and mentions are written by the hundred thousand, and
    encoding them was a tenth of fusion's time (bench/parent_steps.py)."""
    return orjson.dumps(value, default=_fields_of, option=orjson.OPT_NON_STR_KEYS).decode()


class Store:
    def __init__(self, con: duckdb.DuckDBPyConnection, path: str):
        self.con = con
        self.path = path
        self._types: dict[str, dict[str, str]] = {}

    # -- opening -------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> Store:
        path = str(path)
        if read_only and not Path(path).exists():
            raise StoreError(f"no database at {path}; run 'rashomon analyze PATH --db {path}' first")
        try:
            con = duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as err:
            raise StoreError(f"cannot open {path}: {err}") from err
        # DuckDB caches up to 80% of the machine's memory by default; the pipeline's own memory is bounded
        # too (rashomon.pipeline), so memory stays flat however large the database grows
        con.execute(f"SET memory_limit = '{os.environ.get('RASHOMON_DB_MEMORY', DB_MEMORY)}'")
        store = cls(con, path)
        if read_only:
            if store.version() < len(migrations()):
                raise StoreError(
                    f"{path} was made by an older Rashomon; run 'rashomon analyze' on it once to upgrade it"
                )
        else:
            store.migrate()
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not exists:
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    def migrate(self) -> None:
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, name VARCHAR, "
            "applied_at TIMESTAMP DEFAULT current_timestamp)"
        )
        current = self.version()
        for version, name, sql in migrations():
            if version <= current:
                continue
            with self.transaction():
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def insert_rows(self, table: str, rows: Sequence[dict]) -> None:
        """Bulk insert. Small batches go as one statement of typed lists (unnest), large ones through Arrow;
        each is several times faster than row-by-row executemany in DuckDB, and the statement count is
        what dominates the pipeline's many small writes."""
        if not rows:
            return
        columns = list(rows[0])
        if len(rows) <= SMALL_INSERT:
            types = self._column_types(table)
            selects = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selects}",
                [[r[c] for r in rows] for c in columns],
            )
            return
        batch = pa.table({c: [r[c] for r in rows] for c in columns})
        name = f"_batch_{table}"
        self.con.register(name, batch)
        try:
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM {name}"
            )
        finally:
            self.con.unregister(name)

    def _column_types(self, table: str) -> dict[str, str]:
        found = self._types.get(table)
        if found is None:
            rows = self.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
            found = self._types[table] = {name: kind for name, kind in rows}
        return found

    # -- documents -----------------------------------------------------------------------------------
    def add_sources(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Record the files or URLs that carried each document ((doc_id, source) pairs)."""
        if pairs:
            self.con.execute(
                "INSERT OR IGNORE INTO document_sources SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                [[d for d, _ in pairs], [s for _, s in pairs]],
            )

    def existing_documents(self, doc_ids: Sequence[str]) -> set[str]:
        if not doc_ids:
            return set()
        rows = self.con.execute(
            "SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [list(doc_ids)]
        ).fetchall()
        return {r[0] for r in rows}

    def documents_with_hashes(self, hashes: list[str]) -> dict[str, str]:
        if not hashes:
            return {}
        rows = self.con.execute(
            "SELECT content_hash, id FROM documents WHERE content_hash IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY seq DESC",
            [list(hashes)],
        ).fetchall()
        return dict(rows)  # the earliest document of a hash is the last row, so it wins

    def add_documents(
        self,
        docs: Sequence[Document],
        doc_keys: Sequence[list[int]],
        sentence_keys: Sequence[list[list[int]]],
        words: Sequence[list[int]] = (),
    ) -> None:
        """Write documents with their sources, sentences and dedup keys (band keys, and the word keys of
        sentences seen for the first time: rashomon.ingest.dedup.link_batch), in a few statements for the
        batch (the caller holds the transaction). `seq` keeps the order they come in."""
        if not docs:
            return
        first = self.con.execute("SELECT coalesce(max(seq), 0) + 1 FROM documents").fetchone()[0]
        self.insert_rows(
            "documents",
            [
                {
                    "id": doc.id,
                    "seq": first + n,
                    "source": doc.source,
                    "url": doc.url,
                    "title": doc.title,
                    "outlet": doc.outlet,
                    "published": doc.published,
                    "dateline": doc.dateline,
                    "text": doc.text,
                    "words": len(doc.text.split()),
                    "content_hash": doc.content_hash,
                    "duplicate_of": doc.duplicate_of,
                }
                for n, doc in enumerate(docs)
            ],
        )
        self.add_sources([(doc.id, doc.source) for doc in docs])
        self.insert_rows(
            "sentences",
            [
                {
                    "doc_id": doc.id,
                    "idx": s.index,
                    "start_char": s.start,
                    "end_char": s.end,
                    "text": s.text,
                    "reused_doc": s.reused_from[0] if s.reused_from else None,
                    "reused_idx": s.reused_from[1] if s.reused_from else None,
                }
                for doc in docs
                for s in doc.sentences
            ],
        )
        self.insert_rows(
            "document_bands",
            [{"band_key": k, "doc_id": d.id} for d, keys in zip(docs, doc_keys, strict=True) for k in keys],
        )
        self.insert_rows(
            "sentence_bands",
            [
                {"band_key": k, "doc_id": doc.id, "idx": i}
                for doc, per_sentence in zip(docs, sentence_keys, strict=True)
                for i, keys in enumerate(per_sentence)
                for k in keys
            ],
        )
        self.insert_rows("sentence_words", [{"words_key": k} for keys in words for k in keys])

    def known_words(self, keys: list[int]) -> set[int]:
        if not keys:
            return set()
        rows = self.con.execute(
            "SELECT words_key FROM sentence_words WHERE words_key IN (SELECT unnest(?::BIGINT[]))",
            [list(keys)],
        ).fetchall()
        return {r[0] for r in rows}

    # StoredIndex (rashomon.ingest.dedup): candidates for near-duplicate documents and reused sentences.
    # The band tables grow with the corpus: they are probed with `band_key IN (SELECT unnest(?))`, a hash
    # join with the wanted keys (list_contains(?, band_key) planned a filter over thousands of constants,
    # several times slower on the 50k corpus of bench/scale.py).
    def similar_documents_many(self, band_keys: list[list[int]]) -> list[list[tuple[str, str]]]:
        found: list[list[tuple[str, str]]] = [[] for _ in band_keys]
        positions = _positions_of_keys(band_keys)
        if not positions:
            return found
        hits = self.con.execute(
            "SELECT band_key, doc_id FROM document_bands WHERE band_key IN (SELECT unnest(?::BIGINT[]))",
            [list(positions)],
        ).fetchall()
        if not hits:
            return found
        rows = self.con.execute(
            "SELECT id, text FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq",
            [sorted({doc_id for _, doc_id in hits})],
        ).fetchall()
        wanted: list[set[str]] = [set() for _ in band_keys]
        for key, doc_id in hits:
            for pos in positions[key]:
                wanted[pos].add(doc_id)
        for doc_id, text in rows:  # earliest first
            for pos, ids in enumerate(wanted):
                if doc_id in ids:
                    found[pos].append((doc_id, text))
        return found

    def sentence_candidates(self, band_keys: list[list[int]]
                            ) -> tuple[list[list[tuple[str, int, str]]], dict[int, int]]:
        """For each list of band keys (a sentence's), the stored sentences indexed under one of them, earliest
        stored first, each named by the earliest occurrence it repeats, with its own text; and how many are
        indexed under each key. A few queries for a whole batch, reading only the sentences found."""
        found: list[list[tuple[str, int, str]]] = [[] for _ in band_keys]
        keys = [key for sentence_keys in band_keys for key in sentence_keys]
        if not keys:
            return found, {}
        sizes = dict(self.con.execute(
            "SELECT band_key, count(*) FROM sentence_bands WHERE band_key IN (SELECT unnest(?::BIGINT[]))"
            " GROUP BY band_key", [keys]).fetchall())
        if not sizes:
            return found, {}
        # each candidate once, with the positions of the key lists it is for, earliest stored first: a
        # batch's candidates grow with the corpus (up to BAND_CAP per key), and a row per (position,
        # candidate) fetched as Python tuples took most of this function's time. Each candidate's entry is
        # one tuple shared by its positions (and its text one string: dedup.word_set caches by it).
        table = self.con.sql(  # after a fetchall: sql() refuses a connection holding an unread result
            "WITH wanted AS (SELECT unnest(?::BIGINT[]) AS band_key, unnest(?::INTEGER[]) AS pos),"
            " hits AS (SELECT DISTINCT w.pos, b.doc_id, b.idx FROM wanted w JOIN sentence_bands b"
            "  ON b.band_key = w.band_key),"
            " candidates AS (SELECT doc_id, idx, list(pos) AS positions FROM hits GROUP BY doc_id, idx)"
            " SELECT c.positions, coalesce(s.reused_doc, s.doc_id), coalesce(s.reused_idx, s.idx), s.text"
            " FROM candidates c JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.idx"
            " JOIN documents d ON d.id = c.doc_id"
            " ORDER BY d.seq, s.idx",  # earliest stored document first, then sentence order
            params=[keys, [pos for pos, sentence_keys in enumerate(band_keys) for _ in sentence_keys]],
        ).to_arrow_table()  # columns to Python lists at once, quicker than fetchall's tuple per row
        for positions, root_doc, root_idx, text in zip(*(column.to_pylist() for column in table.columns),
                                                       strict=True):
            entry = (root_doc, root_idx, text)
            for pos in positions:
                found[pos].append(entry)
        return found, sizes

    def documents(self) -> list[dict]:
        cur = self.con.execute(
            "SELECT id, source, outlet, published, title, words, duplicate_of, url, dateline, "
            "(SELECT count(*) FROM mentions m WHERE m.doc_id = d.id) AS mentions "
            "FROM documents d ORDER BY seq"
        )
        return _dicts(cur)

    def document(self, doc_id: str) -> dict | None:
        rows = _dicts(
            self.con.execute(
                "SELECT id, source, url, title, outlet, published, dateline, text, words, duplicate_of "
                "FROM documents WHERE id = ?",
                [doc_id],
            )
        )
        if not rows:
            return None
        doc = rows[0]
        doc["sentences"] = _dicts(
            self.con.execute(
                "SELECT idx, start_char AS start, end_char AS end, text, reused_doc, reused_idx "
                "FROM sentences "
                "WHERE doc_id = ? ORDER BY idx",
                [doc_id],
            )
        )
        doc["sources"] = [
            r[0]
            for r in self.con.execute(
                "SELECT source FROM document_sources WHERE doc_id = ? ORDER BY source", [doc_id]
            ).fetchall()
        ]
        return doc

    def count(self, table: str) -> int:
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # -- mentions ------------------------------------------------------------------------------------
    def is_extracted(self, doc_id: str) -> bool:
        return (
            self.con.execute("SELECT 1 FROM extracted_documents WHERE doc_id = ?", [doc_id]).fetchone()
            is not None
        )

    def documents_to_extract(self) -> list[str]:
        return [
            r[0]
            for r in self.con.execute(
                "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM extracted_documents) "
                "ORDER BY seq"
            ).fetchall()
        ]

    def add_mentions(self, by_doc: dict[str, list[ResolvedMention]]) -> None:
        """Write the mentions of each document (replacing any it had) and mark the documents extracted."""
        if not by_doc:
            return
        doc_ids = list(by_doc)
        self.con.execute("DELETE FROM mentions WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [doc_ids])
        self.insert_rows("mentions", [{**mention_row(rm), "block": block_of(rm)}
                                      for found in by_doc.values() for rm in found])
        self.con.execute(
            "INSERT OR REPLACE INTO extracted_documents SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[])",
            [doc_ids, [len(found) for found in by_doc.values()]],
        )

    def mentions(self, doc_id: str | None = None) -> list[dict]:
        where, params = ("WHERE m.doc_id = ?", [doc_id]) if doc_id else ("", [])
        return _dicts(
            self.con.execute(
                "SELECT m.*, d.source, d.outlet, d.published, d.title AS doc_title, em.event_id "
                "FROM mentions m "
                "JOIN documents d ON d.id = m.doc_id LEFT JOIN event_mentions em ON em.mention_id = m.id "
                f"{where} ORDER BY d.seq, m.sentence_index, m.id",
                params,
            )
        )

    # -- events and stories -------------------------------------------------------------------------
    def resolved_mentions(self, ids: Sequence[str]) -> list[ResolvedMention]:
        if not ids:
            return []
        rows = self.con.execute(
            "SELECT data FROM mentions WHERE id IN (SELECT unnest(?)) ORDER BY id", [list(ids)]
        ).fetchall()
        return [resolved_mention_from_dict(orjson.loads(r[0])) for r in rows]

    def event_members_in_blocks(self, keys: Sequence[BlockKey]) -> dict[str, list[str]]:
        """Mention ids of the stored events with a mention under one of the block keys (day, country, kind):
        the events new mentions of those blocks are compared with (rashomon.fuse.events.EventIndex)."""
        if not keys:
            return {}
        rows = self.con.execute(
            "SELECT em.event_id, em.mention_id FROM event_mentions em WHERE em.event_id IN ("
            " SELECT em2.event_id FROM mentions m JOIN event_mentions em2 ON em2.mention_id = m.id"
            " WHERE m.block IN (SELECT unnest(?::VARCHAR[]))) ORDER BY em.event_id, em.mention_id",
            [[_block_text(k) for k in keys]],
        ).fetchall()
        return _members_by_event(rows)

    def add_event_members(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Put mentions in events: (event id, mention id) pairs, for mentions new to the store (a mention
        joins one event, once)."""
        self.insert_rows("event_mentions", [{"event_id": e, "mention_id": m} for e, m in pairs])

    def event_members(self, event_ids: Sequence[str]) -> dict[str, list[str]]:
        """The mention ids of each of the events, in id order."""
        rows = self.con.execute(
            "SELECT event_id, mention_id FROM event_mentions WHERE event_id IN (SELECT unnest(?::VARCHAR[]))"
            " ORDER BY event_id, mention_id", [list(event_ids)]
        ).fetchall()
        return _members_by_event(rows)

    def save_events(self, records: Sequence[dict]) -> None:
        """Write (or rewrite) event records with their claims, in a few statements for the whole batch (the
        caller holds the transaction); a record written is no longer stale."""
        if not records:
            return
        ids = [record["id"] for record in records]
        for table, column in (("events", "id"), ("claims", "event_id"), ("stale_events", "id")):
            self.con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?::VARCHAR[]))", [ids])
        self.insert_rows("events", [event_row(record) for record in records])
        self.insert_rows("claims", [row for record in records for row in claim_rows(record)])

    def mark_stale(self, event_ids: Sequence[str]) -> None:
        """The records of these events lag their members (see migrations/007_stale_events.sql)."""
        if event_ids:
            self.con.execute("INSERT OR IGNORE INTO stale_events SELECT unnest(?::VARCHAR[])",
                             [list(event_ids)])

    def stale_events(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM stale_events ORDER BY id").fetchall()]

    def event_records(self) -> list[dict]:
        return [
            orjson.loads(r[0])
            for r in self.con.execute("SELECT record FROM events ORDER BY date NULLS LAST, id").fetchall()
        ]

    def event_record(self, event_id: str) -> dict | None:
        row = self.con.execute("SELECT record FROM events WHERE id = ?", [event_id]).fetchone()
        return orjson.loads(row[0]) if row else None

    def story_rows(self) -> list[dict]:
        return _dicts(
            self.con.execute(
                "SELECT s.id, s.title, s.start_date, s.end_date, s.profile,"
                # a story without events (its reports hold none) lists [], not NULL
                " coalesce((SELECT list(doc_id ORDER BY doc_id) FROM story_documents sd"
                "  WHERE sd.story_id = s.id), []) AS doc_ids,"
                " coalesce((SELECT list(id ORDER BY date NULLS LAST, id) FROM events e"
                "  WHERE e.story_id = s.id), []) AS event_ids"
                " FROM stories s ORDER BY s.start_date NULLS LAST, s.id"
            )
        )

    def stories_near(self, days: Sequence[str], gap: int, known: Sequence[str] = ()) -> list[dict]:
        """Stories whose dates come within `gap` days of any of `days`, and the undated ones; the profile
        is left out (None) for the ids in `known`, which the caller holds already."""
        return _dicts(
            self.con.execute(
                "SELECT id, title, start_date, end_date,"
                " CASE WHEN id IN (SELECT unnest(?::VARCHAR[])) THEN NULL ELSE profile END AS profile"
                " FROM stories s WHERE start_date IS NULL"
                " OR EXISTS (SELECT 1 FROM (SELECT unnest(?::DATE[]) AS d)"
                "  WHERE d BETWEEN s.start_date - ?::INTEGER"
                "  AND coalesce(s.end_date, s.start_date) + ?::INTEGER)"
                " ORDER BY start_date NULLS LAST, id",
                [list(known), list(days), gap, gap],
            )
        )

    def save_stories(self, stories: Sequence, story_of: dict[str, str]) -> None:
        """Write (or rewrite) story profiles (objects with id, title, start, end and to_json()), and put each
        document of `story_of` in its story."""
        if stories:
            ids = [s.id for s in stories]
            self.con.execute("DELETE FROM stories WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids])
            self.insert_rows(
                "stories",
                [{"id": s.id, "title": s.title, "start_date": s.start, "end_date": s.end,
                  "profile": to_json(s.to_json())} for s in stories],
            )
        if story_of:
            self.con.execute(
                "INSERT OR REPLACE INTO story_documents SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                [list(story_of.values()), list(story_of)],
            )

    def stories_of(self, doc_ids: Sequence[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        return dict(self.con.execute(
            "SELECT doc_id, story_id FROM story_documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(doc_ids)],
        ).fetchall())


def _positions_of_keys(band_keys: list[list[int]]) -> dict[int, list[int]]:
    """{band key: positions of the key lists holding it}."""
    positions: dict[int, list[int]] = {}
    for pos, keys in enumerate(band_keys):
        for key in keys:
            positions.setdefault(key, []).append(pos)
    return positions


def _members_by_event(rows: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """(event id, mention id) rows, grouped: event id -> its mention ids in row order."""
    found: dict[str, list[str]] = {}
    for event_id, mention_id in rows:
        found.setdefault(event_id, []).append(mention_id)
    return found


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    out = []
    for row in cursor.fetchall():
        item = dict(zip(names, row, strict=True))
        for key, value in item.items():
            if hasattr(value, "isoformat"):
                item[key] = value.isoformat()
        out.append(item)
    return out


def event_row(record: dict) -> dict:
    """The events table's columns: the record's fields that filters and sorting need, and the whole record."""
    loc = record.get("location") or {}
    return {
        "id": record["id"],
        "story_id": record.get("story"),
        "event_type": record["event_type"],
        "sub_event_type": record["sub_event_type"],
        "date": record["date"],
        "date_precision": record["date_precision"],
        "location_name": loc.get("name"),
        "admin1": loc.get("admin1"),
        "country": loc.get("country"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "actor1": (record.get("actor1") or {}).get("name"),
        "actor2": (record.get("actor2") or {}).get("name"),
        "fatalities": (record.get("fatalities") or {}).get("best"),
        "disputed": bool(record["conflicts"]),
        "confidence": record["confidence"],
        "summary": record["summary"],
        "record": to_json(record),
    }


def claim_rows(record: dict) -> list[dict]:
    """The claims table's rows for one event record."""
    return [
        {
            "event_id": record["id"],
            "field": field,
            "label": str(c["label"]),
            "value": to_json(c["value"]),
            "support": c["support"],
            "doc_ids": to_json(c["doc_ids"]),
            "attributed_to": to_json(c["attributed_to"]),
        }
        for field, claims in record["claims"].items()
        for c in claims
    ]


def _block_text(key: BlockKey) -> str:
    day, iso3, (event_type, sub_event_type) = key
    return f"{day.isoformat()}|{iso3}|{event_type}|{sub_event_type}"


def block_of(rm: ResolvedMention) -> str | None:
    """The mentions table's `block`: the mention's block key as text (migration 006)."""
    key = member_key(rm)
    return None if key is None else _block_text(key)


def mention_row(rm: ResolvedMention) -> dict:
    """The mentions table's columns: resolved values in columns, the whole ResolvedMention in `data`."""
    m = rm.mention
    return {
        "id": m.id,
        "doc_id": m.doc_id,
        "sentence_index": m.sentence_index,
        "start_char": m.start,
        "end_char": m.end,
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "trigger": m.trigger.text,
        "date": rm.date.date if rm.date else None,
        "date_precision": rm.date.precision if rm.date else None,
        "place": rm.place.name if rm.place else None,
        "lat": rm.place.lat if rm.place else None,
        "lon": rm.place.lon if rm.place else None,
        "iso3": rm.place.iso3 if rm.place else None,
        "actor1": rm.actor1.name if rm.actor1 else None,
        "actor2": rm.actor2.name if rm.actor2 else None,
        "fatalities": rm.fatalities.best if rm.fatalities else None,
        "attributed_to": rm.attributed_to,
        "hedged": m.hedged,
        "origin": rm.origin,
        "data": to_json(rm),
    }
