-- Fills {schema}.session_spans for the sessions the scope lets through (all, or every version
-- of those of refresh_sessions).
INSERT INTO {schema}.session_spans
SELECT session_id, min(snapshot_date), max(snapshot_date)
FROM {schema}.session_snapshots
WHERE {session_scope}
GROUP BY session_id;
