-- Fills {schema}.session_pull_requests for the sessions the scope lets through (all, or every
-- version of those of refresh_sessions), each with its group from {schema}.version_acus (filled
-- first, for the same sessions).
INSERT INTO {schema}.session_pull_requests
WITH shown AS (
    SELECT
        session_id,
        pr.pr_url,
        min(metric_date) AS opened_on,
        min(metric_date) FILTER (WHERE pr.pr_state = 'merged') AS merged_on
    FROM (
        SELECT
            session_id,
            CAST(make_timestamp(epoch_us(updated_at)) AS DATE) AS metric_date,
            unnest(pull_requests) AS pr
        FROM {schema}.session_snapshots
        WHERE len(pull_requests) > 0 AND {session_scope}
    )
    WHERE pr.pr_url IS NOT NULL
    GROUP BY ALL
),
groups AS (
    SELECT DISTINCT session_id, group_org_id, category, user_key, user_kind, origin
    FROM {schema}.version_acus
    WHERE first_of_day AND session_id IN (SELECT session_id FROM shown) AND {group_scope}
)
SELECT s.*, g.group_org_id, g.category, g.user_key, g.user_kind, g.origin
FROM shown AS s
JOIN groups AS g USING (session_id);
