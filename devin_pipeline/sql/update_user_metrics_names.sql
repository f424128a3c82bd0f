-- user_name of devin.user_daily_metrics, from devin.users; NULL for ids never listed, for
-- 'unattributed', and when personal data is not stored.
UPDATE devin.user_daily_metrics AS m
SET user_name = u.name
FROM devin.users AS u
WHERE m.user_id = u.user_id AND u.name IS NOT NULL;
