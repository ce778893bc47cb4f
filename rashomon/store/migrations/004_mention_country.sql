-- Fuse blocks by country: each mention's country (ISO3) beside its place, so the events a new batch may
-- join are found by day and country without reading every mention's JSON.
ALTER TABLE mentions ADD COLUMN iso3 VARCHAR;
UPDATE mentions SET iso3 = json_extract_string(data, '$.place.iso3');
