-- Every org_id of the session snapshots has its row in devin.organizations: ids missing.
SELECT DISTINCT s.org_id
FROM devin.session_snapshots AS s
ANTI JOIN devin.organizations AS o ON o.org_id = s.org_id
WHERE s.org_id IS NOT NULL
ORDER BY s.org_id;
