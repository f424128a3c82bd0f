-- {schema}.org_budget_status (CONTRACT.md): per cycle of budget_cycles (registered: listed or
-- calendar-month cycles) that {schema}.acu_consumption covers, per scope enterprise and org,
-- what was billed (product all) beside the org's cycle cap, and the forecast to the cycle's
-- end. Billing day B is [B 08:00 UTC, B+1 08:00 UTC), so a cycle starting at X 08:00 UTC holds
-- billing days X .. (its end's date - 1). A cycle runs while it ends after the latest billing
-- day fetched (the data, not the clock, says so): its forecast extrapolates the days held.
CREATE OR REPLACE TABLE {schema}.org_budget_status AS
WITH held AS (
    SELECT DISTINCT billing_date FROM {schema}.acu_consumption
),
latest AS (
    SELECT max(billing_date) AS last_day FROM held
),
cycles AS (
    SELECT
        cycle_start,
        cycle_end,
        CAST(cycle_start - INTERVAL 8 HOUR AS DATE) AS first_day,
        CAST(cycle_end - INTERVAL 8 HOUR AS DATE) AS end_day
    FROM budget_cycles
),
spans AS (
    SELECT
        c.cycle_start,
        c.cycle_end,
        c.first_day,
        c.end_day,
        datediff('day', c.first_day, c.end_day) AS cycle_days,
        count(*) AS billed_days
    FROM cycles AS c
    JOIN held AS h ON h.billing_date >= c.first_day AND h.billing_date < c.end_day
    GROUP BY ALL
),
billed AS (
    SELECT s.cycle_start, a.scope, a.scope_id, sum(a.acus) AS billed_acus
    FROM spans AS s
    JOIN {schema}.acu_consumption AS a
        ON a.billing_date >= s.first_day AND a.billing_date < s.end_day
    WHERE a.product = 'all' AND a.scope IN ('enterprise', 'org')
    GROUP BY ALL
),
figures AS (
    SELECT
        s.cycle_start,
        s.cycle_end,
        b.scope,
        b.scope_id,
        o.name AS org_name,
        CASE WHEN b.scope = 'org' THEN o.max_cycle_acu_limit END AS acu_limit,
        b.billed_acus,
        s.billed_days,
        s.cycle_days,
        CASE
            WHEN s.end_day > l.last_day + 1 THEN b.billed_acus / s.billed_days * s.cycle_days
            ELSE b.billed_acus
        END AS forecast_acus,
        s.first_day <= l.last_day AND l.last_day < s.end_day AS is_current
    FROM spans AS s
    JOIN billed AS b USING (cycle_start)
    CROSS JOIN latest AS l
    LEFT JOIN {schema}.organizations AS o ON b.scope = 'org' AND o.org_id = b.scope_id
)
SELECT
    cycle_start,
    cycle_end,
    scope,
    scope_id,
    org_name,
    CAST(acu_limit AS DOUBLE) AS acu_limit,
    billed_acus,
    CAST(billed_days AS INTEGER) AS billed_days,
    CAST(cycle_days AS INTEGER) AS cycle_days,
    forecast_acus,
    CASE WHEN acu_limit > 0 THEN billed_acus / acu_limit END AS limit_share,
    CASE WHEN acu_limit > 0 THEN forecast_acus / acu_limit END AS forecast_share,
    billed_acus * CAST($price AS DOUBLE) AS cost,
    forecast_acus * CAST($price AS DOUBLE) AS forecast_cost,
    CAST($currency AS VARCHAR) AS currency,
    is_current
FROM figures
ORDER BY cycle_start, scope, scope_id;
