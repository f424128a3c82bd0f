-- Enterprise-wide distinct users per period overlapping [$start, $end] ($period: one period,
-- or NULL for day, week and month), for `devin-pipeline report --by active-users`.
SELECT
    period,
    period_start,
    period_end,
    active_users,
    creating_users,
    is_complete
FROM {schema}.active_user_metrics
WHERE scope = 'enterprise'
    AND period_start <= $end
    AND period_end > $start
    AND ($period IS NULL OR period = $period)
ORDER BY
    CASE period WHEN 'day' THEN 1 WHEN 'week' THEN 2 ELSE 3 END,
    period_start;
