-- {schema}.member_listings: every row of every complete listing of the three members lists,
-- one per (fetched_at, user_id), as `users` is derived from them (CONTRACT.md, `devin/users`).
-- Kept, never deleted: first_listed_at and is_listed come from the whole history.
CREATE TABLE IF NOT EXISTS {schema}.member_listings (
    fetched_at       TIMESTAMPTZ NOT NULL,
    user_id          VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,
    name             VARCHAR,
    email            VARCHAR,
    role_assignments STRUCT(
        org_id VARCHAR, role_id VARCHAR, role_name VARCHAR, role_type VARCHAR,
        idp_group_name VARCHAR
    )[],
    expires_at       TIMESTAMPTZ,
    raw              JSON
);
