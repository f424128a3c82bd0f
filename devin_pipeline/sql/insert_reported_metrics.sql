-- This run's figures (reported_rows), stamped with when it read them.
INSERT INTO {schema}.reported_metrics
SELECT period, period_start, metric, dimension, value, $fetched_at
FROM reported_rows;
