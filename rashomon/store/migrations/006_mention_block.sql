-- Fuse blocks by key: each mention's block key (day|country|event type|sub-event type, as
-- rashomon.fuse.events.member_key), indexed, so the events a batch may join are read by key instead of by
-- scanning every mention.
ALTER TABLE mentions ADD COLUMN block VARCHAR;
UPDATE mentions SET block = strftime(date, '%Y-%m-%d') || '|' || iso3 || '|' || event_type || '|' || sub_event_type
    WHERE date IS NOT NULL AND iso3 IS NOT NULL;
CREATE INDEX mentions_block ON mentions (block);
