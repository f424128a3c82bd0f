-- ACU conservation in {table}: per {group_column}, the daily acus_consumed must add up to the
-- sessions' latest acus_consumed ({schema}.sessions, grouped the same way), within 1e-6 relative
-- (absolute below 1 ACU). Groups that do not, including groups only one side has.
WITH latest AS (
    SELECT
        org_id,
        coalesce(category, 'uncategorized') AS category,
        coalesce(user_id, service_user_id, 'unattributed') AS user_id,
        coalesce(origin, 'unknown') AS origin,
        acus_consumed
    FROM {schema}.sessions
),
expected AS (
    SELECT {group_column} AS group_key, coalesce(sum(acus_consumed), 0) AS acus
    FROM latest
    GROUP BY ALL
),
attributed AS (
    SELECT {group_column} AS group_key, sum(acus_consumed) AS acus
    FROM {table}
    GROUP BY ALL
)
SELECT
    coalesce(e.group_key, a.group_key) AS {group_column},
    e.acus AS latest_acus,
    a.acus AS daily_acus
FROM expected AS e
FULL JOIN attributed AS a ON e.group_key IS NOT DISTINCT FROM a.group_key
WHERE abs(coalesce(a.acus, 0) - coalesce(e.acus, 0))
    > 1e-6 * greatest(abs(e.acus), abs(a.acus), 1)
ORDER BY {group_column};
