"""The Parquet tables the Spark path writes and `rashomon spark load` reads (rashomon.store.parquet).

Columns follow the DuckDB schema (rashomon/store/migrations); what the store keeps in side tables travels
nested: a document's sources, sentences and band keys, an event's mention ids, a story's documents. Dates
are ISO strings.
"""

from __future__ import annotations

from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
)


def _schema(*columns: tuple[str, object]) -> StructType:
    return StructType([StructField(name, kind, True) for name, kind in columns])


S, N, L, D, B = StringType(), IntegerType(), LongType(), DoubleType(), BooleanType()

# working frames of the job
BUILT_SENTENCE = _schema(("idx", N), ("start_char", N), ("end_char", N), ("text", S), ("keys", ArrayType(L)),
                         ("words", L))  # rashomon.ingest.dedup.words_key, for sentences with keys
BUILT = _schema(("ordinal", L), ("id", S), ("source", S), ("url", S), ("title", S), ("outlet", S),
                ("published", S), ("dateline", S), ("text", S), ("content_hash", S),
                ("band_keys", ArrayType(L)),
                ("sentences", ArrayType(BUILT_SENTENCE)))
IDENTITY = _schema(("id", S), ("ordinal", L), ("seq", L), ("sources", ArrayType(S)), ("hash_duplicate", S))
DECIDED = _schema(("id", S), ("duplicate_of", S),
                  ("links", ArrayType(_schema(("idx", N), ("doc", S), ("doc_idx", N)))))
FEATURES = _schema(("seq", L), ("id", S), ("title", S), ("published", S), ("terms", S),
                   ("places", ArrayType(S)), ("actors", ArrayType(S)))
BLOCKS = _schema(("doc_id", S), ("event_type", S), ("sub_event_type", S), ("block", L))

# the tables written
SENTENCE = _schema(("idx", N), ("start_char", N), ("end_char", N), ("text", S), ("reused_doc", S),
                   ("reused_idx", N), ("band_keys", ArrayType(L)), ("words", L))
DOCUMENTS = _schema(("id", S), ("seq", L), ("source", S), ("url", S), ("title", S), ("outlet", S),
                    ("published", S), ("dateline", S), ("text", S), ("words", N), ("content_hash", S),
                    ("duplicate_of", S), ("sources", ArrayType(S)), ("band_keys", ArrayType(L)),
                    ("sentences", ArrayType(SENTENCE)), ("mentions", N))
# the order of rashomon.store.mention_row
MENTIONS = _schema(("id", S), ("doc_id", S), ("sentence_index", N), ("start_char", N), ("end_char", N),
                   ("event_type", S), ("sub_event_type", S), ("trigger", S), ("date", S),
                   ("date_precision", S), ("place", S), ("lat", D), ("lon", D), ("iso3", S), ("actor1", S),
                   ("actor2", S), ("fatalities", N), ("attributed_to", S), ("hedged", B), ("origin", S),
                   ("data", S))
# the order of rashomon.store.event_row, then the mention ids
EVENTS = _schema(("id", S), ("story_id", S), ("event_type", S), ("sub_event_type", S), ("date", S),
                 ("date_precision", S), ("location_name", S), ("admin1", S), ("country", S), ("lat", D),
                 ("lon", D), ("actor1", S), ("actor2", S), ("fatalities", N), ("disputed", B),
                 ("confidence", D), ("summary", S), ("record", S), ("mention_ids", ArrayType(S)))
# the order of rashomon.store.claim_rows
CLAIMS = _schema(("event_id", S), ("field", S), ("label", S), ("value", S), ("support", N), ("doc_ids", S),
                 ("attributed_to", S))
STORIES = _schema(("id", S), ("title", S), ("start_date", S), ("end_date", S), ("profile", S),
                  ("doc_ids", ArrayType(S)))
PROBLEMS = _schema(("location", S), ("message", S))
MENTIONS_OUT = StructType([StructField("seq", L), StructField("pos", N), StructField("generic", B),
                           *MENTIONS.fields])
