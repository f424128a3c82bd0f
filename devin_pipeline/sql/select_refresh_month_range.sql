-- The first instant of the months of refresh_days (first days of months) and the first after
-- them (UTC): constant bounds of the cohorts' created_at, which DuckDB's zone maps use.
SELECT
    make_timestamptz(epoch_us(CAST(min(day) AS TIMESTAMP))),
    make_timestamptz(epoch_us(CAST(max(day) AS TIMESTAMP) + INTERVAL 1 MONTH))
FROM refresh_days;
