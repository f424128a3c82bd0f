-- Complete periods older than the lookback (ended on or before $settled_before) where Devin's
-- figure and the sessions' differ by more than max($absolute, $relative x reported): worst
-- first, each with the reason that explains it, if one is known.
SELECT
    metric,
    dimension,
    period,
    period_start,
    reported,
    derived,
    difference,
    known_difference
FROM {schema}.metrics_crosscheck
WHERE CASE period
        WHEN 'day' THEN CAST(period_start + INTERVAL 1 DAY AS DATE)
        WHEN 'week' THEN CAST(period_start + INTERVAL 7 DAY AS DATE)
        ELSE CAST(period_start + INTERVAL 1 MONTH AS DATE)
    END <= $settled_before
    AND abs(difference) > greatest($absolute, $relative * abs(reported))
ORDER BY abs(difference) DESC, metric, dimension, period, period_start;
