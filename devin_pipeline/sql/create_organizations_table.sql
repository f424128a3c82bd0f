-- {schema}.organizations: one row per org_id ever listed or named by a session snapshot
-- (CONTRACT.md). Created empty on first connection so that the metrics can always join it;
-- replace_organizations.sql refills it.
CREATE TABLE IF NOT EXISTS {schema}.organizations (
    org_id                VARCHAR NOT NULL,
    name                  VARCHAR,
    created_at            TIMESTAMPTZ,
    updated_at            TIMESTAMPTZ,
    max_cycle_acu_limit   DOUBLE,
    max_session_acu_limit DOUBLE,
    first_listed_at       TIMESTAMPTZ,
    last_listed_at        TIMESTAMPTZ,
    is_listed             BOOLEAN NOT NULL,
    raw                   JSON
);
