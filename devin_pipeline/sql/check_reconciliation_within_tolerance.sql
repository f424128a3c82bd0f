-- Orgs whose session-derived and billed ACUs, summed over the settled billing days (before
-- $settled_before: older than the lookback, no longer revised), differ by more than the
-- tolerance: max($absolute, $relative * |billed|).
SELECT
    org_id,
    any_value(org_name) AS org_name,
    round(sum(billed_acus), 2) AS billed_acus,
    round(sum(session_acus), 2) AS session_acus,
    round(sum(difference), 2) AS difference,
    min(billing_date) AS first_day,
    max(billing_date) AS last_day
FROM {schema}.acu_reconciliation
WHERE billing_date < $settled_before
GROUP BY org_id
HAVING abs(sum(difference)) > greatest($absolute, $relative * abs(sum(billed_acus)))
ORDER BY abs(sum(difference)) DESC, org_id;
