-- Outcome cohorts of the months overlapping [$start, $end], optionally of one dimension.
SELECT
    month,
    dimension,
    dimension_value,
    org_name,
    sessions_created,
    sessions_with_merged_pr,
    round(merge_rate, 3) AS merge_rate,
    prs_merged,
    round(acus, 2) AS acus,
    round(acus_per_merged_pr, 2) AS acus_per_merged_pr,
    round(cost, 2) AS cost,
    round(cost_per_merged_pr, 2) AS cost_per_merged_pr,
    is_settled
FROM {schema}.outcome_metrics
WHERE month BETWEEN date_trunc('month', CAST($start AS DATE)) AND $end
    AND ($dimension IS NULL OR dimension = $dimension)
ORDER BY month, dimension, acus DESC, dimension_value;
