-- {label} of {table} (org_name of org_daily_metrics and acu_reconciliation, user_name of
-- user_daily_metrics): the `name` of its {key} in {directory} ({schema}.organizations: the
-- org's latest listed version; {schema}.users: the members lists). NULL for an id never
-- listed, for 'unattributed', with the listing switched off, and for people when personal
-- data is not stored. Only rows whose name differs are written, so a refresh that changed no
-- name writes nothing.
UPDATE {table} AS m
SET {label} = n.name
FROM (
    SELECT g.{key}, d.name
    FROM (SELECT DISTINCT {key} FROM {table}) AS g
    LEFT JOIN {directory} AS d USING ({key})
) AS n
WHERE m.{key} = n.{key} AND m.{label} IS DISTINCT FROM n.name;
