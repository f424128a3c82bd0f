-- The latest UTC day that holds a session snapshot: where the dashboard's default range ends.
SELECT max(snapshot_date) FROM {schema}.session_snapshots;
