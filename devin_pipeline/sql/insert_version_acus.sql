-- Fills {schema}.version_acus (create_version_acus_table.sql) for the sessions the scope lets
-- through (all, or every version of those of refresh_sessions), in day order so that DuckDB's
-- zone maps skip the days a refresh does not read. A UTC day is
-- CAST(make_timestamp(epoch_us(ts)) AS DATE) (see create_daily_group_metrics.sql).
INSERT INTO {schema}.version_acus
SELECT
    session_id,
    updated_at,
    metric_date,
    org_id,
    user_id,
    acus_consumed - coalesce(lag(acus_consumed IGNORE NULLS) OVER session_order, 0) AS acus_delta,
    metric_date IS DISTINCT FROM lag(metric_date) OVER session_order AS first_of_day
FROM (
    SELECT
        session_id,
        updated_at,
        CAST(make_timestamp(epoch_us(updated_at)) AS DATE) AS metric_date,
        org_id,
        user_id,
        acus_consumed
    FROM {schema}.session_snapshots
    WHERE {session_scope}
)
WINDOW session_order AS (PARTITION BY session_id ORDER BY updated_at)
ORDER BY metric_date;
