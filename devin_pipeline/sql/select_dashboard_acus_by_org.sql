-- ACUs per day of [$start, $end] by org: the $top orgs that spent most by name (an org never
-- listed as '<org_id> (not listed)'), the others together as 'other orgs'.
WITH ranked AS (
    SELECT org_id, any_value(org_name) AS org_name,
           row_number() OVER (ORDER BY sum(acus_consumed) DESC, org_id) AS rank
    FROM {schema}.org_daily_metrics
    WHERE metric_date BETWEEN $start AND $end
    GROUP BY org_id
)
SELECT
    m.metric_date AS day,
    CASE WHEN r.rank <= $top THEN coalesce(r.org_name, m.org_id || ' (not listed)')
         ELSE 'other orgs' END AS org,
    round(sum(m.acus_consumed), 4) AS acus
FROM {schema}.org_daily_metrics AS m
JOIN ranked AS r USING (org_id)
WHERE m.metric_date BETWEEN $start AND $end
GROUP BY ALL
HAVING sum(m.acus_consumed) <> 0
ORDER BY day, org;
