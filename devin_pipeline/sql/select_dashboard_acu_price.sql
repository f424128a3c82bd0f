-- The ACU price and currency the budget table was costed with (NULL when no price is set).
SELECT cost / billed_acus AS price, currency
FROM {schema}.org_budget_status
WHERE cost IS NOT NULL AND billed_acus > 0
ORDER BY is_current DESC, cycle_start DESC
LIMIT 1;
