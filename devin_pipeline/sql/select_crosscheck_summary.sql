-- Per metric and known reason: rows, rows that differ, and the summed difference
-- (derived - reported): the cross-check at a glance.
SELECT
    metric,
    coalesce(known_difference, '') AS known_difference,
    count(*) AS periods,
    count(*) FILTER (WHERE difference <> 0) AS differing,
    sum(difference) AS total_difference
FROM {schema}.metrics_crosscheck
GROUP BY ALL
ORDER BY ALL;
