-- The first and last day of the periods of refresh_periods: the days whose activity they count.
SELECT
    min(period_start),
    max(CASE period
        WHEN 'day' THEN period_start
        WHEN 'week' THEN CAST(period_start + INTERVAL 6 DAY AS DATE)
        ELSE last_day(period_start)
    END)
FROM refresh_periods;
