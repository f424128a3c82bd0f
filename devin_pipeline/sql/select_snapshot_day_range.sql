-- The first and last snapshot day stored (NULL, NULL when there is none).
SELECT min(snapshot_date), max(snapshot_date) FROM {schema}.session_snapshots;
