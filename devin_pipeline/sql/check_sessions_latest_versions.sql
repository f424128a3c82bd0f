-- {schema}.sessions holds exactly one row per session of the snapshots, its latest version:
-- sessions missing, stored more than once, unknown to the snapshots, or not at their latest.
WITH observed AS (
    SELECT session_id, max(updated_at) AS latest_updated_at
    FROM {schema}.session_snapshots
    GROUP BY session_id
),
stored AS (
    SELECT session_id, count(*) AS stored_rows, max(updated_at) AS stored_updated_at
    FROM {schema}.sessions
    GROUP BY session_id
)
SELECT
    coalesce(o.session_id, s.session_id) AS session_id,
    coalesce(s.stored_rows, 0) AS stored_rows,
    s.stored_updated_at,
    o.latest_updated_at
FROM observed AS o
FULL JOIN stored AS s ON o.session_id = s.session_id
WHERE s.stored_rows IS DISTINCT FROM 1
    OR s.stored_updated_at IS DISTINCT FROM o.latest_updated_at
ORDER BY session_id;
