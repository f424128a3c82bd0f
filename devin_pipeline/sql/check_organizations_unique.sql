-- {schema}.organizations holds one row per org_id: ids stored more than once.
SELECT org_id, count(*) AS copies
FROM {schema}.organizations
GROUP BY org_id
HAVING count(*) > 1
ORDER BY org_id;
