-- The people and service users who spent the most ACUs over [$start, $end], with their names.
SELECT user_id, any_value(user_kind) AS user_kind, any_value(user_name) AS user_name,
       round(sum(acus_consumed), 2) AS acus_consumed, sum(sessions_created) AS sessions_created,
       sum(prs_merged) AS prs_merged
FROM {schema}.user_daily_metrics
WHERE metric_date BETWEEN $start AND $end
GROUP BY user_id
ORDER BY sum(acus_consumed) DESC, user_id
LIMIT $limit;
