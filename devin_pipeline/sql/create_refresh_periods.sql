-- refresh_periods: the day, week (Monday 00:00 UTC) and month of each of refresh_days: the
-- periods of active_user_metrics an incremental refresh recomputes.
CREATE OR REPLACE TEMP TABLE refresh_periods AS
SELECT DISTINCT
    p.period,
    CASE p.period
        WHEN 'day' THEN d.day
        WHEN 'week' THEN CAST(date_trunc('week', d.day) AS DATE)
        ELSE CAST(date_trunc('month', d.day) AS DATE)
    END AS period_start
FROM refresh_days AS d
CROSS JOIN (VALUES ('day'), ('week'), ('month')) AS p (period);
