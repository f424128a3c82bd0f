-- Listed people idle or never active, the longest unused first.
SELECT user_id, user_name, status, last_active_date, sessions_90d
FROM {schema}.seat_usage
WHERE is_listed AND status <> 'active'
ORDER BY last_active_date NULLS FIRST, user_id
LIMIT $limit;
