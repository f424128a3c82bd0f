-- devin.sessions: each session's latest observed version, with the same columns as
-- devin.session_snapshots (create_session_snapshots.sql; a test keeps the two in step).
-- Re-created empty in the transaction that refills it (insert_latest_versions.sql).
--
-- `raw` is compressed with zstd rather than DuckDB's default dictionary/FSST: with that
-- default, this one column takes over 40% of the rebuild's write CPU, and zstd writes it with
-- about half the CPU into 40% of the space. Nothing in the pipeline reads `raw` back from here.
-- (zstd needs a file of storage version v1.2 or later, which DuckDB >= 2.0 creates by default.)
CREATE OR REPLACE TABLE devin.sessions (
    session_id        VARCHAR NOT NULL,
    url               VARCHAR,
    status            VARCHAR,
    status_detail     VARCHAR,
    title             VARCHAR,
    org_id            VARCHAR,
    user_id           VARCHAR,
    service_user_id   VARCHAR,
    origin            VARCHAR,
    category          VARCHAR,
    subcategory       VARCHAR,
    tags              VARCHAR[],
    playbook_id       VARCHAR,
    parent_session_id VARCHAR,
    child_session_ids VARCHAR[],
    is_archived       BOOLEAN,
    acus_consumed     DOUBLE,
    pull_requests     STRUCT(pr_url VARCHAR, pr_state VARCHAR)[],
    structured_output JSON,
    created_at        TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ NOT NULL,
    snapshot_date     DATE NOT NULL,
    fetched_at        TIMESTAMPTZ NOT NULL,
    raw               JSON NOT NULL USING COMPRESSION zstd
);
