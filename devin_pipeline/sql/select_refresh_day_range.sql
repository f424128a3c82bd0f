-- The first instant of refresh_days and the first after them (UTC), as timestamps to compare
-- created_at or updated_at with.
SELECT
    make_timestamptz(epoch_us(CAST(min(day) AS TIMESTAMP))),
    make_timestamptz(epoch_us(CAST(max(day) + 1 AS TIMESTAMP)))
FROM refresh_days;
