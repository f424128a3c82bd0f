-- {schema}.organization_versions: one row per observed version of an organization item of
-- GET /v3/enterprise/organizations, key (org_id, updated_at) (CONTRACT.md). Never deleted: a
-- rename is a new version; re-listing a version replaces its row (a newer fetched_at).
CREATE TABLE IF NOT EXISTS {schema}.organization_versions (
    org_id                VARCHAR NOT NULL,
    name                  VARCHAR,
    created_at            TIMESTAMPTZ,
    updated_at            TIMESTAMPTZ NOT NULL,
    max_cycle_acu_limit   DOUBLE,
    max_session_acu_limit DOUBLE,
    fetched_at            TIMESTAMPTZ NOT NULL,
    raw                   JSON NOT NULL
);
