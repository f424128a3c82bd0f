-- Orgs at risk in the current cycle: billed at least $warn_share of their cycle's ACU limit,
-- or forecast over it. Each with its limit, what it billed and its forecast.
SELECT
    scope_id AS org_id,
    org_name,
    acu_limit,
    round(billed_acus, 2) AS billed_acus,
    round(forecast_acus, 2) AS forecast_acus,
    round(limit_share, 3) AS limit_share,
    round(forecast_share, 3) AS forecast_share,
    billed_days,
    cycle_days
FROM {schema}.org_budget_status
WHERE is_current AND scope = 'org' AND (limit_share >= $warn_share OR forecast_share > 1)
ORDER BY forecast_share DESC, org_id;
