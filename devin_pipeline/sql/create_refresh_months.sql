-- refresh_days for the outcome cohorts: the first day of each month a changed session was or is
-- created in (`sessions` logs it), and of each month whose insights changed (session_insights
-- logs its days: an insight carries its session's fields, created_at included, so its day is
-- its session's created day).
CREATE OR REPLACE TEMP TABLE refresh_days AS
SELECT DISTINCT CAST(date_trunc('month', day) AS DATE) AS day
FROM changed_days
WHERE day IS NOT NULL
    AND (source = 'session_insights' OR (source = 'sessions' AND kind = 'created'));
