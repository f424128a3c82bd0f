-- user_name of {schema}.user_daily_metrics, from {schema}.users; NULL for ids never listed, for
-- 'unattributed', and when personal data is not stored.
UPDATE {schema}.user_daily_metrics AS m
SET user_name = u.name
FROM {schema}.users AS u
WHERE m.user_id = u.user_id AND u.name IS NOT NULL;
