-- Logs, as change $change_id of source 'sessions', the days the sessions of refresh_sessions
-- touch: every day one of their versions was updated ('versions'; the scope lets through
-- their rows of {schema}.version_acus), the day each was created ('created'), and every day
-- any session first showed, or showed merged, a PR one of them shows ('prs': a group's first
-- sight of the PR falls on one of those). Run before and after the refresh, so that the old
-- and the new days both count.
INSERT INTO {schema}.change_log
WITH shown AS (
    SELECT DISTINCT pr_url
    FROM {schema}.session_pull_requests
    WHERE session_id IN (SELECT session_id FROM refresh_sessions)
)
SELECT DISTINCT $change_id, 'sessions', kind, day, now()
FROM (
    SELECT 'versions' AS kind, metric_date AS day
    FROM {schema}.version_acus
    WHERE {attribution_scope}
    UNION ALL
    SELECT 'created', CAST(make_timestamp(epoch_us(created_at)) AS DATE)
    FROM {schema}.version_acus
    WHERE {attribution_scope} AND first_of_day AND created_at IS NOT NULL
    UNION ALL
    SELECT 'prs', unnest([opened_on, merged_on])
    FROM {schema}.session_pull_requests
    WHERE pr_url IN (SELECT pr_url FROM shown)
)
WHERE day IS NOT NULL;
