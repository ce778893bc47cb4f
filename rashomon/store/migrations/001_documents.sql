-- Ingest: documents, where they came from, their sentences and the keys that find repeated copy.
CREATE TABLE documents (
    id VARCHAR PRIMARY KEY,
    seq BIGINT NOT NULL,              -- ingestion order: earlier documents are the originals of reused copy
    source VARCHAR NOT NULL,
    url VARCHAR,
    title VARCHAR,
    outlet VARCHAR,
    published DATE,
    dateline VARCHAR,
    text VARCHAR NOT NULL,
    words INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL,
    duplicate_of VARCHAR,
    ingested_at TIMESTAMP DEFAULT current_timestamp
);
CREATE SEQUENCE document_seq START 1;
CREATE TABLE document_sources (       -- every file or URL that carried the same document
    doc_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, source)
);
CREATE TABLE sentences (
    doc_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    reused_doc VARCHAR,               -- earliest stored occurrence of this sentence, if it is reused copy
    reused_idx INTEGER,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE document_bands (band_key BIGINT NOT NULL, doc_id VARCHAR NOT NULL);
CREATE TABLE sentence_bands (band_key BIGINT NOT NULL, doc_id VARCHAR NOT NULL, idx INTEGER NOT NULL);
CREATE INDEX document_bands_key ON document_bands (band_key);
CREATE INDEX sentence_bands_key ON sentence_bands (band_key);
