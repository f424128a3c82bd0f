-- Fills {schema}.version_acus (create_version_acus_table.sql) for the sessions the scope lets
-- through (all, or every version of those of refresh_sessions), in day order so that DuckDB's
-- zone maps skip the days a refresh does not read. A UTC day is
-- CAST(make_timestamp(epoch_us(ts)) AS DATE) (see create_daily_group_metrics.sql); the group
-- is session_group() (create_session_group_macro.sql) of the latest version.
INSERT INTO {schema}.version_acus
SELECT
    session_id,
    updated_at,
    metric_date,
    org_id,
    user_id,
    acus_consumed - coalesce(lag(acus_consumed IGNORE NULLS) OVER session_order, 0) AS acus_delta,
    metric_date IS DISTINCT FROM lag(metric_date) OVER session_order AS first_of_day,
    last_value(created_at) OVER whole_session AS created_at,
    last_value(org_id) OVER whole_session AS group_org_id,
    unnest(session_group(
        last_value(category) OVER whole_session,
        last_value(user_id) OVER whole_session,
        last_value(service_user_id) OVER whole_session,
        last_value(origin) OVER whole_session
    ))
FROM (
    SELECT
        session_id,
        updated_at,
        CAST(make_timestamp(epoch_us(updated_at)) AS DATE) AS metric_date,
        created_at,
        org_id,
        user_id,
        service_user_id,
        category,
        origin,
        acus_consumed
    FROM {schema}.session_snapshots
    WHERE {session_scope}
)
WINDOW
    session_order AS (PARTITION BY session_id ORDER BY updated_at),
    whole_session AS (
        PARTITION BY session_id ORDER BY updated_at
        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
    )
ORDER BY metric_date;
