-- Support services (pipeline/support): employment-support offices from WAM NET open data, with
-- their history, and which Hello Work office is in charge where. The columns published into
-- snapshots are declared in pipeline/support/tables.py; this migration must agree with them
-- (tests/pipeline/support/test_tables.py).

CREATE TABLE support_offices (
    office_id                 VARCHAR PRIMARY KEY,  -- '<office_number>:<service_type>'
    office_number             VARCHAR NOT NULL,     -- WAM 事業所番号, 10 digits
    service_type              VARCHAR NOT NULL,
    service_label             VARCHAR NOT NULL,
    name                      VARCHAR NOT NULL,
    name_kana                 VARCHAR,
    operator_name             VARCHAR,
    operator_corporate_number VARCHAR,              -- 13 digits, NULL when its check digit fails
    municipality_code         VARCHAR,              -- of the office's address (the ward in designated cities)
    prefecture                VARCHAR,
    address                   VARCHAR,
    phone                     VARCHAR,
    url                       VARCHAR,
    hours_weekday             VARCHAR,
    hours_saturday            VARCHAR,
    hours_sunday              VARCHAR,
    hours_holiday             VARCHAR,
    closed_days               VARCHAR,
    days_note                 VARCHAR,
    capacity                  INTEGER,
    lat                       DOUBLE,
    lng                       DOUBLE,
    first_seen                TIMESTAMP NOT NULL,
    last_seen                 TIMESTAMP NOT NULL,
    authority_code            VARCHAR,              -- the designating authority (column 1 of WAM's file)
    authority_name            VARCHAR,
    wam_no                    VARCHAR,              -- WAM's own row number (NO)
    status                    VARCHAR NOT NULL,     -- open | closed
    closed_reason             VARCHAR,              -- absent: not in a full refresh of its service
    content_hash              VARCHAR NOT NULL,
    raw_run                   VARCHAR               -- the raw run that last changed this office
);

CREATE TABLE support_office_history (
    office_id       VARCHAR NOT NULL,
    changed_at      TIMESTAMP NOT NULL,
    change          VARCHAR NOT NULL,        -- new | changed | closed | reopened
    changed_fields  VARCHAR[],
    content_hash    VARCHAR,
    raw_run         VARCHAR,
    reason          VARCHAR
);

CREATE TABLE hellowork_areas (
    municipality_code VARCHAR NOT NULL,      -- 5 digits
    postal_code       VARCHAR,               -- NULL: the whole municipality; 7 digits: an exception
    office            VARCHAR NOT NULL,
    first_seen        TIMESTAMP NOT NULL,
    last_seen         TIMESTAMP NOT NULL,
    raw_run           VARCHAR
);
