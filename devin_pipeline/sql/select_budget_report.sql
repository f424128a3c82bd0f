-- The current billing cycle's budget: the enterprise, then orgs by forecast share of their cap.
SELECT
    CAST(cycle_start AS DATE) AS cycle_start,
    CAST(cycle_end AS DATE) AS cycle_end,
    scope_id AS org_id,
    CASE WHEN scope = 'enterprise' THEN '(enterprise, every product)' ELSE org_name END AS org_name,
    acu_limit,
    round(billed_acus, 2) AS billed_acus,
    round(forecast_acus, 2) AS forecast_acus,
    round(limit_share, 3) AS limit_share,
    round(forecast_share, 3) AS forecast_share,
    round(cost, 2) AS cost,
    round(forecast_cost, 2) AS forecast_cost,
    currency,
    billed_days,
    cycle_days
FROM {schema}.org_budget_status
WHERE is_current
ORDER BY scope = 'org', forecast_share DESC NULLS LAST, billed_acus DESC, scope_id;
