-- {schema}.version_acus: the ACU attribution of every observed version (CONTRACT.md, "acus_consumed"
-- of the daily metrics): what the session's cumulative acus_consumed grew since its previous
-- version (the first adds all of it; a version without acus_consumed adds nothing, and the next
-- adds the growth since the last known), on the UTC day of its updated_at. Kept beside the
-- snapshots, so that the daily metrics, the reconciliation and the seats read one attribution
-- instead of each re-running the per-session window over all history. org_id and user_id are
-- the version's own; created_at and the group columns are the session's latest version's (as
-- the daily metrics group it), so that no reader joins the sessions. first_of_day marks one version per
-- (session, metric_date).
CREATE OR REPLACE TABLE {schema}.version_acus (
    session_id   VARCHAR     NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    metric_date  DATE        NOT NULL,
    org_id       VARCHAR,
    user_id      VARCHAR,
    acus_delta   DOUBLE,
    first_of_day BOOLEAN     NOT NULL,
    created_at   TIMESTAMPTZ,  -- the latest version's created_at
    group_org_id VARCHAR,  -- the latest version's org_id
    category     VARCHAR   NOT NULL,  -- its category, else 'uncategorized'
    user_key     VARCHAR   NOT NULL,  -- its user_id, else its service_user_id, else 'unattributed'
    user_kind    VARCHAR   NOT NULL,  -- which of the three user_key is: user, service_user, unattributed
    origin       VARCHAR   NOT NULL   -- its origin, else 'unknown'
);
