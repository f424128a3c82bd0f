-- Fills {schema}.acu_reconciliation (CONTRACT.md): per billing day that {schema}.acu_consumption
-- holds and per org, what Devin billed (scope org, product devin) beside what the sessions
-- reported: the metrics' per-version ACU deltas ({schema}.version_acus) of versions whose OWN
-- org_id is the org, summed by the billing day of updated_at. A billing day B is
-- [B 08:00 UTC, B+1 08:00 UTC): the UTC date of updated_at - 8 hours (28,800,000,000
-- microseconds), so it holds versions of UTC days B and B+1.
-- Summed as DECIMAL so that a recompute gives the same bits (as the metrics do).
-- The scope (consumption_store.py) selects the billing days computed: all on a rebuild, those
-- of refresh_days on an incremental refresh (their versions: UTC days $first_day..$last_day).
INSERT INTO {schema}.acu_reconciliation
WITH billing_days AS (
    SELECT DISTINCT billing_date FROM {schema}.acu_consumption WHERE {day_scope}
),
billed AS (
    SELECT billing_date, scope_id AS org_id, sum(acus) AS billed_acus
    FROM {schema}.acu_consumption
    WHERE scope = 'org' AND product = 'devin' AND {day_scope}
    GROUP BY ALL
),
version_deltas AS (
    SELECT
        org_id,
        CAST(make_timestamp(epoch_us(updated_at) - 28800000000) AS DATE) AS billing_date,
        acus_delta
    FROM {schema}.version_acus
    WHERE {version_scope}
),
reported AS (
    SELECT billing_date, org_id, sum(CAST(acus_delta AS DECIMAL(38, 9))) AS session_acus
    FROM version_deltas
    SEMI JOIN billing_days USING (billing_date)
    GROUP BY ALL
)
SELECT
    billing_date,
    org_id,
    o.name AS org_name,
    coalesce(b.billed_acus, 0) AS billed_acus,
    CAST(coalesce(r.session_acus, 0) AS DOUBLE) AS session_acus,
    CAST(coalesce(r.session_acus, 0) AS DOUBLE) - coalesce(b.billed_acus, 0) AS difference
FROM billed AS b
FULL JOIN reported AS r USING (billing_date, org_id)
LEFT JOIN {schema}.organizations AS o USING (org_id)
WHERE coalesce(b.billed_acus, 0) <> 0 OR coalesce(r.session_acus, 0) <> 0
ORDER BY billing_date, org_id;
