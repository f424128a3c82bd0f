-- The UTC date of the freshest snapshot: the day seat_usage is as of (the data, not the clock).
SELECT CAST(make_timestamp(epoch_us(max(updated_at))) AS DATE) FROM {schema}.session_snapshots;
