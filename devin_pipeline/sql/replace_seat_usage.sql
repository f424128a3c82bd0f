-- {schema}.seat_usage (CONTRACT.md): one row per person (kind 'user') of {schema}.users, as of
-- $as_of, the UTC date of the freshest snapshot (select_as_of_date.sql: the data, not the
-- clock; a constant, so that it bounds the scans). Each observed version is attributed to its own
-- user_id; its ACUs are the metrics' delta ({schema}.version_acus: growth over the session's
-- previous known acus_consumed). Windows of N days are [as_of_date - N + 1, as_of_date].
-- Rebuilt whole each time (the windows move with as_of_date), from 90 days of versions and
-- two narrow columns of the rest.
CREATE OR REPLACE TABLE {schema}.seat_usage AS
WITH as_of AS (
    SELECT CAST($as_of AS DATE) AS as_of_date
),
lifetime AS (
    -- Two narrow columns of every attributed version: each person's first and last day.
    SELECT user_id, min(metric_date) AS first_active_date, max(metric_date) AS last_active_date
    FROM {schema}.version_acus
    WHERE user_id IS NOT NULL
    GROUP BY user_id
),
recent_sessions AS (
    -- The last 90 days only: the constant bounds let DuckDB's zone maps skip older row groups.
    -- A session counts in an N-day window when its latest version there is in it.
    SELECT
        v.user_id,
        v.session_id,
        max(v.metric_date) AS last_day,
        sum(CAST(v.acus_delta AS DECIMAL(38, 9))) FILTER (WHERE v.metric_date > a.as_of_date - 30)
            AS acus_30d
    FROM {schema}.version_acus AS v
    CROSS JOIN as_of AS a
    WHERE v.user_id IS NOT NULL
        AND v.metric_date > CAST($as_of AS DATE) - 90
        AND v.metric_date <= CAST($as_of AS DATE)
    GROUP BY v.user_id, v.session_id
),
recent AS (
    SELECT
        s.user_id,
        count(*) FILTER (WHERE s.last_day > a.as_of_date - 7) AS sessions_7d,
        count(*) FILTER (WHERE s.last_day > a.as_of_date - 30) AS sessions_30d,
        count(*) AS sessions_90d,
        sum(s.acus_30d) AS acus_30d
    FROM recent_sessions AS s
    CROSS JOIN as_of AS a
    GROUP BY s.user_id
),
usage AS (
    SELECT * FROM lifetime LEFT JOIN recent USING (user_id)
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
