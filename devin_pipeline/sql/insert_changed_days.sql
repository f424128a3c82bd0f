-- Logs the days [$first, $last] of $source as changed ($kind), under change $change_id.
INSERT INTO {schema}.change_log
SELECT $change_id, $source, $kind, CAST(d AS DATE), now()
FROM range(CAST($first AS DATE), CAST($last AS DATE) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t (d);
