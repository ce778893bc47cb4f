"""Load the Spark path's Parquet tables (rashomon.spark.tables) into a DuckDB store, so that `rashomon
events`, `show`, `stories` and `serve` work on them and later `rashomon analyze` runs add to them."""

from __future__ import annotations

from pathlib import Path

from rashomon.store import Store, StoreError

TABLES = ("documents", "mentions", "events", "claims", "stories")

# target table -> SELECT over the Parquet tables ({documents} etc. are read_parquet(...) calls)
LOADS = {
    "documents (id, seq, source, url, title, outlet, published, dateline, text, words, content_hash, "
    "duplicate_of)": "SELECT id, seq, source, url, title, outlet, CAST(published AS DATE), dateline, text, "
                 "words, content_hash, duplicate_of FROM {documents}",
    "document_sources": "SELECT DISTINCT id, unnest(sources) FROM {documents}",
    "sentences": "SELECT id, s.idx, s.start_char, s.end_char, s.text, s.reused_doc, s.reused_idx "
                 "FROM (SELECT id, unnest(sentences) AS s FROM {documents})",
    "document_bands": "SELECT unnest(band_keys), id FROM {documents}",
    "sentence_bands": "SELECT unnest(s.band_keys), id, s.idx FROM (SELECT id, unnest(sentences) AS s "
                      "FROM {documents})",
    "sentence_words": "SELECT DISTINCT s.words FROM (SELECT unnest(sentences) AS s FROM {documents}) "
                      "WHERE s.words IS NOT NULL",
    "mentions (id, doc_id, sentence_index, start_char, end_char, event_type, sub_event_type, trigger, date, "
    "date_precision, place, lat, lon, actor1, actor2, fatalities, attributed_to, hedged, origin, data, iso3, "
    "block)":
    "SELECT id, doc_id, sentence_index, start_char, end_char, event_type, sub_event_type, "
                "trigger, CAST(date AS DATE), date_precision, place, lat, lon, actor1, actor2, fatalities, "
                "attributed_to, hedged, origin, data, iso3, "
                # the block key (rashomon.store.block_of; migration 006)
                "strftime(CAST(date AS DATE), '%Y-%m-%d') || '|' || iso3 || '|' || event_type || '|' || "
                "sub_event_type FROM {mentions}",
    "extracted_documents": "SELECT id, mentions FROM {documents}",
    "stories": "SELECT id, title, CAST(start_date AS DATE), CAST(end_date AS DATE), profile FROM {stories}",
    "story_documents": "SELECT id, unnest(doc_ids) FROM {stories}",
    "events": "SELECT id, story_id, event_type, sub_event_type, CAST(date AS DATE), date_precision, "
              "location_name, admin1, country, lat, lon, actor1, actor2, fatalities, disputed, confidence, "
              "summary, record FROM {events}",
    "event_mentions": "SELECT id, unnest(mention_ids) FROM {events}",
    "claims": "SELECT event_id, field, label, value, support, doc_ids, attributed_to FROM {claims}",
}


def load_parquet(store: Store, folder: str | Path) -> dict[str, int]:
    """Copy the tables under `folder` into an empty store in one transaction; returns rows per table."""
    folder = Path(folder)
    missing = [t for t in TABLES if not (folder / t).is_dir()]
    if missing:
        raise StoreError(f"{folder} is not the output of 'rashomon spark run' "
                         f"(no {', '.join(missing)} table)")
    if store.count("documents"):
        raise StoreError(f"{store.path} already holds documents; load the Spark output into a new database")
    sources = {t: f"read_parquet('{_quote(folder / t)}/*.parquet')" for t in TABLES}
    counts = {}
    with store.transaction():
        for table, select in LOADS.items():
            store.con.execute(f"INSERT INTO {table} {select.format(**sources)}")
            name = table.split()[0]
            counts[name] = store.count(name)
        # later 'rashomon analyze' runs number their documents after these
        start = store.con.execute("SELECT coalesce(max(seq), 0) + 1 FROM documents").fetchone()[0]
        store.con.execute("DROP SEQUENCE document_seq")
        store.con.execute(f"CREATE SEQUENCE document_seq START {int(start)}")
    return counts


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
