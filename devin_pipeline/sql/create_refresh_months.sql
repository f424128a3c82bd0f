-- refresh_days for the outcome cohorts: the first day of each month a changed session was or is
-- created in (`sessions` logs it), and of each month holding a session whose insight changed
-- (session_insights logs its days, which are its sessions' created days).
CREATE OR REPLACE TEMP TABLE refresh_days AS
SELECT DISTINCT CAST(date_trunc('month', day) AS DATE) AS day
FROM (
    SELECT day FROM changed_days WHERE source = 'sessions' AND kind = 'created'
    UNION ALL
    SELECT day FROM changed_days WHERE source = 'session_insights'
    UNION ALL
    SELECT CAST(make_timestamp(epoch_us(s.created_at)) AS DATE)
    FROM {schema}.session_insights AS i
    JOIN {schema}.sessions AS s USING (session_id)
    WHERE i.created_date IN (SELECT day FROM changed_days WHERE source = 'session_insights')
)
WHERE day IS NOT NULL;
