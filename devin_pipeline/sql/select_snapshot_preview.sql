SELECT session_id, org_id, category, status, acus_consumed, updated_at
FROM {schema}.session_snapshots
WHERE snapshot_date = $day
ORDER BY updated_at DESC, session_id
LIMIT 5;
