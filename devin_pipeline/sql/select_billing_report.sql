-- Billed vs session-derived ACUs per org over billing days [$start, $end].
SELECT
    org_id,
    any_value(org_name) AS org_name,
    round(sum(billed_acus), 2) AS billed_acus,
    round(sum(session_acus), 2) AS session_acus,
    round(sum(difference), 2) AS difference
FROM {schema}.acu_reconciliation
WHERE billing_date BETWEEN $start AND $end
GROUP BY org_id
ORDER BY sum(billed_acus) DESC, org_id;
