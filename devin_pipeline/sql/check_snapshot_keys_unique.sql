-- (session_id, updated_at) is the primary key of {schema}.session_snapshots: keys stored twice.
SELECT session_id, updated_at, count(*) AS copies
FROM {schema}.session_snapshots
GROUP BY session_id, updated_at
HAVING count(*) > 1
ORDER BY copies DESC, session_id, updated_at;
