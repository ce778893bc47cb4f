-- Extract and resolve: one row per event mention, resolved values in columns, spans in `data`.
CREATE TABLE mentions (
    id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    event_type VARCHAR NOT NULL,
    sub_event_type VARCHAR NOT NULL,
    trigger VARCHAR,
    date DATE,
    date_precision VARCHAR,
    place VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    actor1 VARCHAR,
    actor2 VARCHAR,
    fatalities INTEGER,
    attributed_to VARCHAR,
    hedged BOOLEAN,
    origin VARCHAR,                   -- mentions with the same origin are one source (reused copy)
    data JSON NOT NULL                -- the whole ResolvedMention
);
CREATE INDEX mentions_doc ON mentions (doc_id);
-- documents whose mentions are stored (a document with no event mention still gets a row here)
CREATE TABLE extracted_documents (doc_id VARCHAR PRIMARY KEY, mentions INTEGER NOT NULL);
