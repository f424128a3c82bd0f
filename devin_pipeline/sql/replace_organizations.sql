-- Refills {schema}.organizations (CONTRACT.md): every org_id ever listed or named by a session
-- snapshot, with the fields of its latest listed version (NULL when never listed), the first
-- and latest listing that held it, and whether the latest successful listing held it.
INSERT INTO {schema}.organizations
WITH listed AS (
    SELECT unnest(org_ids) AS org_id, fetched_at FROM {schema}.organization_listings
),
spans AS (
    SELECT org_id, min(fetched_at) AS first_listed_at, max(fetched_at) AS last_listed_at
    FROM listed
    GROUP BY org_id
),
latest_listing AS (
    SELECT max(fetched_at) AS fetched_at FROM {schema}.organization_listings
),
latest_versions AS (
    SELECT *
    FROM {schema}.organization_versions
    QUALIFY row_number() OVER (PARTITION BY org_id ORDER BY updated_at DESC) = 1
),
org_ids AS (
    SELECT org_id FROM spans
    UNION
    SELECT org_id FROM latest_versions
    UNION
    SELECT DISTINCT org_id FROM {schema}.session_snapshots WHERE org_id IS NOT NULL
)
SELECT
    o.org_id,
    v.name,
    v.created_at,
    v.updated_at,
    v.max_cycle_acu_limit,
    v.max_session_acu_limit,
    s.first_listed_at,
    s.last_listed_at,
    coalesce(s.last_listed_at = l.fetched_at, false) AS is_listed,
    v.raw
FROM org_ids AS o
LEFT JOIN latest_versions AS v USING (org_id)
LEFT JOIN spans AS s USING (org_id)
CROSS JOIN latest_listing AS l
ORDER BY o.org_id;
