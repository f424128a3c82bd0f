-- Sessions, ACUs and merged PRs per {group_column} over [$start, $end], the biggest spender first.
SELECT {group_column} AS "group", sum(sessions_created) AS sessions,
       round(sum(acus_consumed), 4) AS acus, sum(prs_merged) AS prs_merged
FROM {table}
WHERE metric_date BETWEEN $start AND $end
GROUP BY {group_column}
HAVING sum(sessions_created) <> 0 OR sum(acus_consumed) <> 0 OR sum(prs_merged) <> 0
ORDER BY sum(acus_consumed) DESC, "group";
