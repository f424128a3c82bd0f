-- One daily metrics table, {table}: one row per (metric_date, {group_column}); definitions in
-- CONTRACT.md. Re-created (so a changed shape applies) in the transaction that refills it.
-- The labels placeholder adds the table's descriptive columns (org_name; user_kind, user_name).
CREATE OR REPLACE TABLE {table} (
    metric_date      DATE    NOT NULL,
    {group_column:<16} VARCHAR NOT NULL,
{labels}    sessions_created BIGINT  NOT NULL,
    sessions_updated BIGINT  NOT NULL,
    active_users     BIGINT  NOT NULL,
    acus_consumed    DOUBLE  NOT NULL,
    prs_opened       BIGINT  NOT NULL,
    prs_merged       BIGINT  NOT NULL
);
