-- Partition D holds exactly the versions whose updated_at falls on UTC day D: versions filed
-- under another snapshot_date.
SELECT session_id, updated_at, snapshot_date, CAST(timezone('UTC', updated_at) AS DATE) AS utc_date
FROM {schema}.session_snapshots
WHERE snapshot_date IS DISTINCT FROM CAST(timezone('UTC', updated_at) AS DATE)
ORDER BY session_id, updated_at;
