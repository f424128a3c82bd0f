-- Fills {schema}.active_user_metrics (CONTRACT.md): distinct users per UTC day, week (Monday
-- 00:00 UTC, as Devin's WAU counts it) and calendar month, enterprise-wide and per org. A
-- session is grouped by the org of its latest observed version, as the daily metrics group it
-- ({schema}.version_acus carries it). `active_users`: user_id of the observed versions updated
-- in the period (each version's own); `creating_users`: user_id of the latest version of the
-- sessions created in it ({schema}.sessions). Periods overlapping [first, last snapshot day]
-- only, where either count is non-zero.
-- Templates (adoption_store.py) select the periods computed: all on a rebuild; on an
-- incremental refresh those of refresh_periods (a semi-join), from the days they span (as
-- constant bounds, which DuckDB's zone maps use).
INSERT INTO {schema}.active_user_metrics
WITH days AS (
    SELECT min(snapshot_date) AS first_day, max(snapshot_date) AS last_day
    FROM {schema}.session_snapshots
),
activity AS (
    SELECT DISTINCT day, org_id, user_id, kind
    FROM (
        SELECT metric_date AS day, group_org_id AS org_id, user_id, 'active' AS kind
        FROM {schema}.version_acus
        WHERE user_id IS NOT NULL AND {version_scope}
        UNION ALL
        SELECT CAST(make_timestamp(epoch_us(created_at)) AS DATE), org_id, user_id, 'creating'
        FROM {schema}.sessions
        WHERE user_id IS NOT NULL AND {created_scope}
    )
),
periods AS (
    SELECT *
    FROM (
        SELECT
            p.period,
            CASE p.period
                WHEN 'day' THEN a.day
                WHEN 'week' THEN CAST(date_trunc('week', a.day) AS DATE)
                ELSE CAST(date_trunc('month', a.day) AS DATE)
            END AS period_start,
            a.org_id,
            a.user_id,
            a.kind
        FROM activity AS a
        CROSS JOIN (VALUES ('day'), ('week'), ('month')) AS p (period)
    ) AS a
    {period_join}
),
org_users AS (
    -- DISTINCT then count(*): much cheaper in DuckDB than count(DISTINCT) over grouping sets.
    SELECT DISTINCT period, period_start, org_id, user_id, kind FROM periods
),
counted AS (
    SELECT
        period,
        period_start,
        CASE WHEN org_id IS NULL THEN 'enterprise' ELSE 'org' END AS scope,
        coalesce(org_id, '') AS scope_id,
        count(*) FILTER (WHERE kind = 'active') AS active_users,
        count(*) FILTER (WHERE kind = 'creating') AS creating_users
    FROM org_users
    GROUP BY period, period_start, org_id
    UNION ALL
    SELECT
        period,
        period_start,
        'enterprise',
        '',
        count(*) FILTER (WHERE kind = 'active'),
        count(*) FILTER (WHERE kind = 'creating')
    FROM (SELECT DISTINCT period, period_start, user_id, kind FROM org_users)
    GROUP BY period, period_start
),
bounded AS (
    SELECT
        c.*,
        CAST(
            CASE c.period
                WHEN 'day' THEN c.period_start + INTERVAL 1 DAY
                WHEN 'week' THEN c.period_start + INTERVAL 7 DAY
                ELSE c.period_start + INTERVAL 1 MONTH
            END AS DATE
        ) AS period_end
    FROM counted AS c
)
SELECT
    b.period,
    b.period_start,
    b.period_end,
    b.scope,
    b.scope_id,
    o.name AS org_name,
    b.active_users,
    b.creating_users,
    coalesce(b.period_end - 1 <= CAST($complete_through AS DATE), false) AS is_complete
FROM bounded AS b
CROSS JOIN days AS d
LEFT JOIN {schema}.organizations AS o ON b.scope = 'org' AND o.org_id = b.scope_id
WHERE b.period_end > d.first_day
    AND b.period_start <= d.last_day
    AND (b.active_users > 0 OR b.creating_users > 0)
ORDER BY b.period, b.period_start, b.scope, b.scope_id;
