-- The groups of one metrics table ({table}) with the most ACUs over all days.
SELECT
    {group_column},
    round(sum(acus_consumed), 2) AS acus_consumed,
    sum(sessions_created) AS sessions_created,
    sum(prs_merged) AS prs_merged,
    max(metric_date) AS last_active
FROM {table}
GROUP BY {group_column}
ORDER BY sum(acus_consumed) DESC, {group_column}
LIMIT $limit;
