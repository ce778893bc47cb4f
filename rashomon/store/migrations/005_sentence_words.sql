-- Repeats: the word key (rashomon.ingest.dedup.words_key) of every stored sentence long enough to index, so
-- that a sentence whose very words came before is not indexed again (its band keys would only lengthen the
-- candidate lists). A database made before this keeps working: its older sentences are simply not known
-- here, and a later copy of one is indexed once more.
CREATE TABLE sentence_words (words_key BIGINT PRIMARY KEY);
