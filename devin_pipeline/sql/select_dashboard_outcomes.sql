-- Merge rate and ACUs per merged PR by org and by session size, over the monthly cohorts
-- overlapping [$start, $end] (an org never listed as '<org_id> (not listed)').
SELECT
    dimension,
    CASE WHEN dimension = 'org'
         THEN coalesce(any_value(org_name), dimension_value || ' (not listed)')
         ELSE dimension_value END AS "group",
    sum(sessions_created) AS sessions_created,
    sum(sessions_with_merged_pr) AS sessions_with_merged_pr,
    round(sum(sessions_with_merged_pr) / sum(sessions_created), 4) AS merge_rate,
    sum(prs_merged) AS prs_merged,
    round(sum(acus), 4) AS acus,
    round(sum(acus) / nullif(sum(prs_merged), 0), 4) AS acus_per_merged_pr
FROM {schema}.outcome_metrics
WHERE dimension IN ('org', 'session_size')
  AND month <= $end AND month + INTERVAL 1 MONTH > $start
GROUP BY dimension, dimension_value
HAVING sum(sessions_created) > 0
ORDER BY dimension, sum(acus) DESC, "group";
