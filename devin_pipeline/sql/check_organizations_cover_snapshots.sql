-- Every org_id of the session snapshots has its row in {schema}.organizations: ids missing.
SELECT DISTINCT s.org_id
FROM {schema}.session_snapshots AS s
ANTI JOIN {schema}.organizations AS o ON o.org_id = s.org_id
WHERE s.org_id IS NOT NULL
ORDER BY s.org_id;
