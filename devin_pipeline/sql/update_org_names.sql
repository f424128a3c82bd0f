-- org_name of {table} (org_daily_metrics, acu_reconciliation): the name of the org's latest
-- listed version ({schema}.organizations); NULL for an org never listed (or with the listing
-- switched off). Only rows whose name differs are written, so a refresh that changed no name
-- writes nothing.
UPDATE {table} AS m
SET org_name = n.name
FROM (
    SELECT g.org_id, o.name
    FROM (SELECT DISTINCT org_id FROM {table}) AS g
    LEFT JOIN {schema}.organizations AS o USING (org_id)
) AS n
WHERE m.org_id = n.org_id AND m.org_name IS DISTINCT FROM n.name;
