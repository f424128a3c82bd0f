-- The columns of an observed session version (CONTRACT.md), filled in for {table}:
-- {schema}.session_snapshots, every version, created once ({create} = CREATE TABLE IF NOT EXISTS);
-- {schema}.sessions, each session's latest, re-created empty in the transaction that refills it
-- ({create} = CREATE OR REPLACE TABLE; insert_latest_versions.sql).
--
-- `raw` is compressed with zstd: DuckDB's default (dictionary/FSST) spent ~10 us of CPU per
-- version on it at each checkpoint; zstd cut the 1M-session ingestion's CPU by ~12% and the
-- file by about half. A file created before this keeps its column's old compression.
-- (zstd needs storage version v1.2 or later, which DuckDB >= 2.0 creates by default.)
{create} {table} (
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
