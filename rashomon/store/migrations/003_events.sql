-- Fuse: stories, events, the mentions behind each event and the claims per field.
CREATE TABLE stories (
    id VARCHAR PRIMARY KEY,
    title VARCHAR,
    start_date DATE,
    end_date DATE,
    profile JSON                      -- what new documents are compared with (terms, places, dates)
);
CREATE TABLE story_documents (story_id VARCHAR NOT NULL, doc_id VARCHAR PRIMARY KEY);
CREATE TABLE events (
    id VARCHAR PRIMARY KEY,
    story_id VARCHAR,
    event_type VARCHAR,
    sub_event_type VARCHAR,
    date DATE,
    date_precision VARCHAR,
    location_name VARCHAR,
    admin1 VARCHAR,
    country VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    actor1 VARCHAR,
    actor2 VARCHAR,
    fatalities INTEGER,
    disputed BOOLEAN,
    confidence DOUBLE,
    summary VARCHAR,
    record JSON NOT NULL              -- the event record exactly as `events --format jsonl` prints it
);
CREATE TABLE event_mentions (event_id VARCHAR NOT NULL, mention_id VARCHAR PRIMARY KEY);
CREATE INDEX event_mentions_event ON event_mentions (event_id);
CREATE TABLE claims (
    event_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    label VARCHAR,
    value JSON,
    support INTEGER,
    doc_ids JSON,
    attributed_to JSON
);
CREATE INDEX claims_event ON claims (event_id);
