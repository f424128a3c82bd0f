-- The seats paid for today (listed people), idle and never-used first, for
-- `devin-pipeline report --by seats` ($status: one status, or NULL for all).
SELECT
    user_id,
    user_name,
    status,
    last_active_date,
    sessions_7d,
    sessions_30d,
    sessions_90d,
    acus_30d,
    as_of_date
FROM {schema}.seat_usage
WHERE is_listed AND ($status IS NULL OR status = $status)
ORDER BY
    CASE status WHEN 'never_used' THEN 1 WHEN 'idle' THEN 2 ELSE 3 END,
    last_active_date NULLS FIRST,
    user_id;
