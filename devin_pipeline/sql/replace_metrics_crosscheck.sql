-- {schema}.metrics_crosscheck (CONTRACT.md): Devin's own figures beside what the sessions show,
-- per (period, period_start, metric, dimension) that both sides cover: the reported side holds
-- the period's metric (for by-origin: that day's sessions_created), the derived side's
-- snapshots span the period's days. A dimension only one side names counts 0 on the other.
-- known_difference names what explains a gap expected by construction, where there is one.
CREATE OR REPLACE TABLE {schema}.metrics_crosscheck AS
WITH snapshot_days AS (
    SELECT min(snapshot_date) AS first_day, max(snapshot_date) AS last_day
    FROM {schema}.session_snapshots
),
reported AS (
    SELECT period, period_start, metric, dimension, value
    FROM {schema}.reported_metrics
    WHERE metric IN ('dau', 'wau', 'mau', 'sessions_created', 'sessions_created_by_origin')
),
covered AS (
    -- (period, period_start, metric) whose days all hold snapshots, and that Devin reported.
    SELECT DISTINCT r.period, r.period_start, m.metric
    FROM reported AS r
    CROSS JOIN snapshot_days AS d
    JOIN (
        VALUES ('dau', 'dau'), ('wau', 'wau'), ('mau', 'mau'),
            ('sessions_created', 'sessions_created'),
            ('sessions_created', 'sessions_created_by_origin')
    ) AS m (reported_metric, metric) ON m.reported_metric = r.metric
    WHERE r.period_start >= d.first_day
        AND CASE r.period
            WHEN 'day' THEN r.period_start
            WHEN 'week' THEN CAST(r.period_start + INTERVAL 6 DAY AS DATE)
            ELSE last_day(r.period_start)
        END <= d.last_day
),
created AS (
    SELECT CAST(make_timestamp(epoch_us(created_at)) AS DATE) AS day, origin
    FROM {schema}.sessions
),
derived AS (
    SELECT
        period,
        period_start,
        CASE period WHEN 'day' THEN 'dau' WHEN 'week' THEN 'wau' ELSE 'mau' END AS metric,
        '' AS dimension,
        CAST(creating_users AS DOUBLE) AS value
    FROM {schema}.active_user_metrics
    WHERE scope = 'enterprise'
    UNION ALL
    SELECT 'day', day, 'sessions_created', '', count(*) FROM created GROUP BY day
    UNION ALL
    SELECT 'day', day, 'sessions_created_by_origin', coalesce(origin, 'unknown'), count(*)
    FROM created
    GROUP BY ALL
),
keyed AS (
    SELECT period, period_start, metric, dimension FROM reported
    UNION
    SELECT period, period_start, metric, dimension FROM derived
),
paired AS (
    SELECT
        k.period,
        k.period_start,
        k.metric,
        k.dimension,
        coalesce(r.value, 0) AS reported,
        coalesce(d.value, 0) AS derived
    FROM keyed AS k
    JOIN covered AS c USING (period, period_start, metric)
    LEFT JOIN reported AS r USING (period, period_start, metric, dimension)
    LEFT JOIN derived AS d USING (period, period_start, metric, dimension)
)
SELECT
    period,
    period_start,
    metric,
    dimension,
    reported,
    derived,
    derived - reported AS difference,
    CASE
        WHEN derived = reported THEN NULL
        WHEN metric IN ('dau', 'wau', 'mau') AND derived < reported
            THEN 'Devin counts searches as activity'
        WHEN metric = 'sessions_created' AND derived < reported
            THEN 'a session created but never observed'
        WHEN metric = 'sessions_created_by_origin'
            AND dimension IN ('cli', 'vscode_extension', 'devin_spaces')
            THEN 'Devin hides the origin ' || dimension
        WHEN metric = 'sessions_created_by_origin' AND dimension IN ('scheduled', 'automation')
            THEN 'Devin folds scheduled into automation'
    END AS known_difference
FROM paired
ORDER BY period, period_start, metric, dimension;
