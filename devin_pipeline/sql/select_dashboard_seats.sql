-- Seats one pays for today (people still listed) by status: active, idle, never used.
SELECT status, count(*) AS people, any_value(as_of_date) AS as_of_date
FROM {schema}.seat_usage
WHERE is_listed
GROUP BY status
ORDER BY status;
