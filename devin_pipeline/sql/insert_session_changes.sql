-- Logs, as change $change_id of source 'sessions', the days the sessions of refresh_sessions
-- touch: every day of their spans ('versions': each version of theirs was updated on one), the
-- day each was created ('created'), and every day any session first showed, or showed merged,
-- a PR one of them shows ('prs': a group's first sight of the PR falls on one of those). Run
-- before and after the refresh, so that the old and the new days both count.
INSERT INTO {schema}.change_log
WITH shown AS (
    SELECT DISTINCT pr_url
    FROM {schema}.session_pull_requests
    WHERE session_id IN (SELECT session_id FROM refresh_sessions)
)
SELECT DISTINCT $change_id, 'sessions', kind, day, now()
FROM (
    SELECT
        'versions' AS kind,
        CAST(unnest(generate_series(
            CAST(first_day AS TIMESTAMP), CAST(last_day AS TIMESTAMP), INTERVAL 1 DAY
        )) AS DATE) AS day
    FROM {schema}.session_spans
    WHERE session_id IN (SELECT session_id FROM refresh_sessions)
    UNION ALL
    SELECT 'created', CAST(make_timestamp(epoch_us(created_at)) AS DATE)
    FROM {schema}.sessions
    WHERE session_id IN (SELECT session_id FROM refresh_sessions) AND created_at IS NOT NULL
    UNION ALL
    SELECT 'prs', opened_on
    FROM {schema}.session_pull_requests
    WHERE pr_url IN (SELECT pr_url FROM shown)
    UNION ALL
    SELECT 'prs', merged_on
    FROM {schema}.session_pull_requests
    WHERE merged_on IS NOT NULL AND pr_url IN (SELECT pr_url FROM shown)
);
