SELECT metric_date, origin, sessions_created, sessions_updated, active_users,
       round(acus_consumed, 2) AS acus_consumed, prs_opened, prs_merged
FROM {schema}.origin_daily_metrics
WHERE metric_date BETWEEN $start AND $end
ORDER BY metric_date, acus_consumed DESC, origin;
