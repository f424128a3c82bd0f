-- Enterprise-wide active users per day, week and month, for the periods overlapping [$start, $end].
SELECT period, period_start, active_users, creating_users, is_complete
FROM {schema}.active_user_metrics
WHERE scope = 'enterprise' AND period_start <= $end AND period_end > $start
ORDER BY period, period_start;
