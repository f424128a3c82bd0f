-- Removes the stored rows that the stage file $path replaces (same session_id and updated_at).
-- Every staged row is of day $day, so the snapshot_date filter loses nothing and lets DuckDB
-- skip the other days' row groups instead of scanning the whole table.
DELETE FROM {schema}.session_snapshots AS t
USING staged_versions($path) AS s
WHERE t.snapshot_date = $day AND t.session_id = s.session_id AND t.updated_at = s.updated_at;
