-- Fills {schema}.session_pull_requests for the sessions {session_scope} lets through (all, or
-- those of refresh_sessions) from every version of each.
INSERT INTO {schema}.session_pull_requests
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
GROUP BY ALL;
