-- The rows of the partitions $first..$last: a period's row belongs to the partition of its
-- last UTC day.
DELETE FROM {schema}.reported_metrics
WHERE CASE period
        WHEN 'day' THEN period_start
        WHEN 'week' THEN CAST(period_start + INTERVAL 6 DAY AS DATE)
        ELSE last_day(period_start)
    END BETWEEN $first AND $last;
