-- What wrote each run, and with which signal tagger. A run is a raw run loaded (kind 'load') or a
-- re-tag of stored listings after a change of the signal vocabulary or tagger (kind 'retag', path
-- 'retag:<time>', items = listings examined, changed / unchanged = listings re-tagged / left as
-- they were). vocabulary and tagger are fingerprints of the parsed signal vocabulary and of the
-- tagger's code (pipeline.warehouse.tagger_fingerprint); NULL for runs loaded before this migration.
ALTER TABLE raw_runs ADD COLUMN kind VARCHAR DEFAULT 'load';
ALTER TABLE raw_runs ADD COLUMN vocabulary VARCHAR;
ALTER TABLE raw_runs ADD COLUMN tagger VARCHAR;
