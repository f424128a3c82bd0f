-- The current billing cycle per org and for the enterprise: billed so far, limit, forecast.
SELECT
    scope,
    CASE WHEN scope = 'enterprise' THEN 'enterprise'
         ELSE coalesce(org_name, scope_id || ' (not listed)') END AS org,
    cycle_start, billed_days, cycle_days, round(billed_acus, 4) AS billed_acus, acu_limit,
    round(limit_share, 4) AS limit_share, round(forecast_acus, 4) AS forecast_acus,
    round(forecast_share, 4) AS forecast_share, round(cost, 2) AS cost,
    round(forecast_cost, 2) AS forecast_cost, currency
FROM {schema}.org_budget_status
WHERE is_current
ORDER BY scope, billed_acus DESC, org;
