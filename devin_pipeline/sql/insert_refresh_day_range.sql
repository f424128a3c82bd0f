-- Adds the days [$first, $last] to refresh_days (none when either is NULL).
INSERT INTO refresh_days
SELECT CAST(d AS DATE)
FROM range(CAST($first AS DATE), CAST($last AS DATE) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t (d);
