-- {schema}.seat_usage (CONTRACT.md): one row per person (kind 'user') of {schema}.users, as of
-- the UTC date of the freshest snapshot (the data, not the clock). Each observed version is
-- attributed to its own user_id; its ACUs are the metrics' delta (growth over the session's
-- previous known acus_consumed). Windows of N days are [as_of_date - N + 1, as_of_date].
CREATE OR REPLACE TABLE {schema}.seat_usage AS
WITH as_of AS (
    SELECT CAST(make_timestamp(epoch_us(max(updated_at))) AS DATE) AS as_of_date
    FROM {schema}.session_snapshots
),
versions AS (
    SELECT
        user_id,
        session_id,
        CAST(make_timestamp(epoch_us(updated_at)) AS DATE) AS day,
        acus_consumed - coalesce(
            lag(acus_consumed IGNORE NULLS) OVER (PARTITION BY session_id ORDER BY updated_at), 0
        ) AS acus_delta
    FROM {schema}.session_snapshots
),
usage AS (
    SELECT
        v.user_id,
        min(v.day) AS first_active_date,
        max(v.day) AS last_active_date,
        count(DISTINCT v.session_id) FILTER (WHERE v.day > a.as_of_date - 7) AS sessions_7d,
        count(DISTINCT v.session_id) FILTER (WHERE v.day > a.as_of_date - 30) AS sessions_30d,
        count(DISTINCT v.session_id) FILTER (WHERE v.day > a.as_of_date - 90) AS sessions_90d,
        sum(CAST(v.acus_delta AS DECIMAL(38, 9))) FILTER (WHERE v.day > a.as_of_date - 30)
            AS acus_30d
    FROM versions AS v
    CROSS JOIN as_of AS a
    WHERE v.user_id IS NOT NULL AND v.day <= a.as_of_date
    GROUP BY v.user_id
)
SELECT
    u.user_id,
    u.name AS user_name,
    u.is_listed,
    a.as_of_date,
    g.first_active_date,
    g.last_active_date,
    coalesce(g.sessions_7d, 0) AS sessions_7d,
    coalesce(g.sessions_30d, 0) AS sessions_30d,
    coalesce(g.sessions_90d, 0) AS sessions_90d,
    CAST(coalesce(g.acus_30d, 0) AS DOUBLE) AS acus_30d,
    CASE
        WHEN g.last_active_date IS NULL THEN 'never_used'
        WHEN g.last_active_date > a.as_of_date - CAST($idle_days AS INTEGER) THEN 'active'
        ELSE 'idle'
    END AS status
FROM {schema}.users AS u
CROSS JOIN as_of AS a
LEFT JOIN usage AS g USING (user_id)
WHERE u.kind = 'user'
ORDER BY u.user_id;
