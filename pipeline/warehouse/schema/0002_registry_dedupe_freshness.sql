-- Registry records loaded from raw items of kind "registry_record" (or `ippo load --registry`),
-- one row per (registry, tag, employer): the employer is its 法人番号 when known, else its
-- normalized name. The loader matches listings against this table.
CREATE TABLE registry_records (
    registry          VARCHAR NOT NULL,
    tag               VARCHAR NOT NULL,
    entity_key        VARCHAR NOT NULL,      -- 'cn:<法人番号>' or 'name:<normalized name>'
    employer_name     VARCHAR NOT NULL,
    normalized_name   VARCHAR,
    corporate_number  VARCHAR,
    address           VARCHAR,
    prefecture        VARCHAR,
    country           VARCHAR,
    level_or_status   VARCHAR,
    as_of             VARCHAR,
    source_url        VARCHAR,
    evidence          VARCHAR NOT NULL,
    record_hash       VARCHAR NOT NULL,      -- what the row said; a new hash is a change
    first_seen        TIMESTAMP NOT NULL,
    last_seen         TIMESTAMP NOT NULL,
    raw_run           VARCHAR,               -- the raw run (or registry file) that last changed it
    PRIMARY KEY (registry, tag, entity_key)
);

-- Raw line fingerprints: sha1(normalizer version, source, the raw line bytes) -> the listing it
-- became and the content hash it had. A reload of identical lines is recognised without parsing.
CREATE TABLE raw_line_index (
    line_hash     VARCHAR NOT NULL,
    listing_id    VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL
);

-- Whether the crawl that wrote a run finished well (from the source's run ledger when there is
-- one). Only a successful run of a source may close that source's unseen listings.
ALTER TABLE raw_runs ADD COLUMN successful BOOLEAN DEFAULT TRUE;
ALTER TABLE raw_runs ADD COLUMN registry_records INTEGER DEFAULT 0;
