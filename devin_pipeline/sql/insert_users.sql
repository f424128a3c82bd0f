-- Refills {schema}.users (CONTRACT.md) from the stored member listings and the ids the session
-- snapshots name: the fields of the latest listing that held an id, the first and latest such
-- listing, and whether the latest listing of all held it. An id seen only in sessions has
-- NULL name and email and is_listed false; with $personal false no name, email or raw is kept.
INSERT INTO {schema}.users
WITH seen AS (
    SELECT DISTINCT user_id, 'user' AS kind
    FROM {schema}.session_snapshots
    WHERE user_id IS NOT NULL
    UNION
    SELECT DISTINCT service_user_id, 'service_user'
    FROM {schema}.session_snapshots
    WHERE service_user_id IS NOT NULL
),
spans AS (
    SELECT user_id, min(fetched_at) AS first_listed_at, max(fetched_at) AS last_listed_at
    FROM {schema}.member_listings
    GROUP BY user_id
),
latest_rows AS (
    SELECT *
    FROM {schema}.member_listings
    QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY fetched_at DESC) = 1
),
latest_listing AS (
    SELECT max(fetched_at) AS fetched_at FROM {schema}.member_listings
),
ids AS (
    SELECT user_id FROM spans
    UNION
    SELECT user_id FROM seen
)
SELECT
    i.user_id,
    coalesce(l.kind, s.kind) AS kind,
    CASE WHEN $personal THEN l.name END AS name,
    CASE WHEN $personal THEN l.email END AS email,
    l.role_assignments,
    l.expires_at,
    p.first_listed_at,
    p.last_listed_at,
    coalesce(p.last_listed_at = t.fetched_at, false) AS is_listed,
    l.raw
FROM ids AS i
LEFT JOIN latest_rows AS l USING (user_id)
LEFT JOIN spans AS p USING (user_id)
LEFT JOIN (SELECT user_id, min(kind) AS kind FROM seen GROUP BY user_id) AS s USING (user_id)
CROSS JOIN latest_listing AS t
ORDER BY i.user_id;
