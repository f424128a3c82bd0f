-- {schema}.users: one row per person (user_id of the members lists) or service user
-- (service_user_id) ever listed or named by a session snapshot (CONTRACT.md). Created empty on
-- first connection so that the metrics can always join it.
CREATE TABLE IF NOT EXISTS {schema}.users (
    user_id          VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,
    name             VARCHAR,
    email            VARCHAR,
    role_assignments STRUCT(
        org_id VARCHAR, role_id VARCHAR, role_name VARCHAR, role_type VARCHAR,
        idp_group_name VARCHAR
    )[],
    expires_at       TIMESTAMPTZ,
    first_listed_at  TIMESTAMPTZ,
    last_listed_at   TIMESTAMPTZ,
    is_listed        BOOLEAN NOT NULL,
    raw              JSON
);
