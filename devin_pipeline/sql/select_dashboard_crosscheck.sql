-- Where Devin's own metrics and the warehouse's differ, over periods starting in [$start, $end].
SELECT period, period_start, metric, dimension, reported, derived, difference, known_difference
FROM {schema}.metrics_crosscheck
WHERE period_start BETWEEN $start AND $end AND difference <> 0
ORDER BY abs(difference) DESC, period, period_start, metric, dimension
LIMIT $limit;
