-- The columns of {schema}.outcome_metrics that depend on more than the cohort: org_name (from
-- {schema}.organizations) and is_settled (the month ended more than $lookback days before the
-- latest snapshot day, which moves every day). Only rows whose values differ are written.
UPDATE {schema}.outcome_metrics AS m
SET
    org_name = CASE WHEN m.dimension = 'org' THEN o.name END,
    is_settled = datediff('day', CAST(m.month + INTERVAL 1 MONTH AS DATE) - 1, l.last_day) > $lookback
FROM (SELECT DISTINCT dimension, dimension_value FROM {schema}.outcome_metrics) AS k
LEFT JOIN {schema}.organizations AS o ON k.dimension = 'org' AND o.org_id = k.dimension_value
CROSS JOIN (SELECT max(snapshot_date) AS last_day FROM {schema}.session_snapshots) AS l
WHERE m.dimension = k.dimension
    AND m.dimension_value IS NOT DISTINCT FROM k.dimension_value
    AND (
        m.org_name IS DISTINCT FROM (CASE WHEN m.dimension = 'org' THEN o.name END)
        OR m.is_settled IS DISTINCT FROM
            (datediff('day', CAST(m.month + INTERVAL 1 MONTH AS DATE) - 1, l.last_day) > $lookback)
    );
