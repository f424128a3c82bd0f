-- The first and last day of the periods of refresh_periods, the days whose activity they
-- count, and the same days as instants [created_from, created_to) to compare created_at with.
SELECT
    first_day,
    last_day,
    make_timestamptz(epoch_us(CAST(first_day AS TIMESTAMP))) AS created_from,
    make_timestamptz(epoch_us(CAST(last_day + 1 AS TIMESTAMP))) AS created_to
FROM (
    SELECT
        min(period_start) AS first_day,
        max(CASE period
            WHEN 'day' THEN period_start
            WHEN 'week' THEN CAST(period_start + INTERVAL 6 DAY AS DATE)
            ELSE last_day(period_start)
        END) AS last_day
    FROM refresh_periods
);
