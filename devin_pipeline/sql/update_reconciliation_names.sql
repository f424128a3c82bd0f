-- org_name of {schema}.acu_reconciliation from {schema}.organizations (NULL when unknown); only
-- rows whose name differs are written.
UPDATE {schema}.acu_reconciliation AS m
SET org_name = n.name
FROM (
    SELECT g.org_id, o.name
    FROM (SELECT DISTINCT org_id FROM {schema}.acu_reconciliation) AS g
    LEFT JOIN {schema}.organizations AS o USING (org_id)
) AS n
WHERE m.org_id = n.org_id AND m.org_name IS DISTINCT FROM n.name;
