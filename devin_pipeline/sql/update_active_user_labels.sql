-- The columns of {schema}.active_user_metrics that depend on more than the sessions: org_name
-- (from {schema}.organizations, NULL when unknown) and is_complete (the period's last day is on
-- or before $complete_through). Only rows whose values differ are written.
UPDATE {schema}.active_user_metrics AS m
SET
    org_name = CASE WHEN m.scope = 'org' THEN o.name END,
    is_complete = coalesce(m.period_end - 1 <= CAST($complete_through AS DATE), false)
FROM (SELECT DISTINCT scope, scope_id FROM {schema}.active_user_metrics) AS k
LEFT JOIN {schema}.organizations AS o ON k.scope = 'org' AND o.org_id = k.scope_id
WHERE m.scope = k.scope
    AND m.scope_id = k.scope_id
    AND (
        m.org_name IS DISTINCT FROM (CASE WHEN m.scope = 'org' THEN o.name END)
        OR m.is_complete IS DISTINCT FROM
            coalesce(m.period_end - 1 <= CAST($complete_through AS DATE), false)
    );
