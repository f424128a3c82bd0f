SELECT metric_date, user_id, user_kind, user_name, sessions_created, sessions_updated,
       active_users, round(acus_consumed, 2) AS acus_consumed, prs_opened, prs_merged
FROM {schema}.user_daily_metrics
WHERE metric_date BETWEEN $start AND $end
ORDER BY metric_date, acus_consumed DESC, user_id;
