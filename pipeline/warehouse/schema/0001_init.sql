-- The warehouse: canonical listings with their history, raw runs loaded, and quarantine.
-- All timestamps are UTC (TIMESTAMP without zone, by convention).

CREATE TABLE raw_runs (
    path         VARCHAR PRIMARY KEY,   -- relative to $IPPO_HOME/raw
    source       VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL,
    size_bytes   BIGINT NOT NULL,
    loaded_at    TIMESTAMP NOT NULL,
    items        INTEGER NOT NULL,
    new          INTEGER NOT NULL,
    changed      INTEGER NOT NULL,
    unchanged    INTEGER NOT NULL,
    quarantined  INTEGER NOT NULL
);

CREATE TABLE listings (
    id                VARCHAR PRIMARY KEY,  -- derived from (source, source_id), see pipeline/sources/build.py
    source            VARCHAR NOT NULL,
    source_id         VARCHAR NOT NULL,
    url               VARCHAR,
    apply_url         VARCHAR,
    title             VARCHAR NOT NULL,
    description_text  VARCHAR,
    description_html  VARCHAR,
    language          VARCHAR,
    employer          STRUCT(name VARCHAR, normalized_name VARCHAR,
                             registry_tags STRUCT(tag VARCHAR, evidence VARCHAR, source VARCHAR)[]),
    locations         STRUCT(country VARCHAR, region VARCHAR, locality VARCHAR, postal_code VARCHAR)[],
    remote            VARCHAR,
    employment_types  VARCHAR[],
    hours_per_week    STRUCT(min DOUBLE, max DOUBLE),
    salary            STRUCT(min DOUBLE, max DOUBLE, currency VARCHAR, unit VARCHAR, text VARCHAR),
    date_posted       TIMESTAMP,
    valid_through     TIMESTAMP,
    first_seen        TIMESTAMP NOT NULL,
    last_seen         TIMESTAMP NOT NULL,
    status            VARCHAR NOT NULL,      -- open | closed
    closed_reason     VARCHAR,               -- expired | unseen | ...
    occupation        STRUCT(taxonomy VARCHAR, code VARCHAR, title VARCHAR, confidence DOUBLE),
    signals           STRUCT(tag VARCHAR, evidence VARCHAR, source VARCHAR)[],
    supportiveness    DOUBLE NOT NULL,
    content_hash      VARCHAR NOT NULL,
    duplicate_of      VARCHAR,
    raw_run           VARCHAR                -- the raw run that last changed this listing
);

CREATE TABLE listing_history (
    listing_id      VARCHAR NOT NULL,
    changed_at      TIMESTAMP NOT NULL,
    change          VARCHAR NOT NULL,        -- new | changed | closed | reopened
    changed_fields  VARCHAR[],
    content_hash    VARCHAR,
    raw_run         VARCHAR,
    reason          VARCHAR
);

CREATE TABLE quarantine (
    quarantined_at TIMESTAMP NOT NULL,
    source     VARCHAR,
    raw_run    VARCHAR,
    line_no    INTEGER,
    reason     VARCHAR NOT NULL,
    message    VARCHAR NOT NULL,
    raw        VARCHAR                      -- the raw line, verbatim
);
