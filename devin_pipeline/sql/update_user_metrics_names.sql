-- user_name of {table} (user_daily_metrics), from {schema}.users; NULL for ids never listed, for
-- 'unattributed', and when personal data is not stored. Only rows whose name differs are
-- written, so a refresh that changed no name writes nothing.
UPDATE {table} AS m
SET user_name = n.name
FROM (
    SELECT g.user_id, u.name
    FROM (SELECT DISTINCT user_id FROM {table}) AS g
    LEFT JOIN {schema}.users AS u USING (user_id)
) AS n
WHERE m.user_id = n.user_id AND m.user_name IS DISTINCT FROM n.name;
