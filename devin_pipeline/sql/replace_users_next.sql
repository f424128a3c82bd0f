-- users_next: {schema}.users as it must be after this run (CONTRACT.md), from the previous table,
-- this run's listing (listed_users; empty when the members source is off, $listed = false)
-- and every user_id / service_user_id the session snapshots name. A person listed now takes
-- the listing's fields; one not listed keeps what the last listing said and, after a
-- successful listing, is_listed = false. With $personal false no name, email or raw item is
-- kept, including those stored by earlier runs.
CREATE OR REPLACE TEMP TABLE users_next AS
WITH seen AS (
    SELECT DISTINCT user_id, 'user' AS kind
    FROM {schema}.session_snapshots
    WHERE user_id IS NOT NULL
    UNION
    SELECT DISTINCT service_user_id, 'service_user'
    FROM {schema}.session_snapshots
    WHERE service_user_id IS NOT NULL
),
ids AS (
    SELECT user_id FROM listed_users
    UNION
    SELECT user_id FROM {schema}.users
    UNION
    SELECT user_id FROM seen
)
SELECT
    i.user_id,
    coalesce(l.kind, p.kind, s.kind) AS kind,
    CASE WHEN $personal THEN if(l.user_id IS NULL, p.name, l.name) END AS name,
    CASE WHEN $personal THEN if(l.user_id IS NULL, p.email, l.email) END AS email,
    if(l.user_id IS NULL, p.role_assignments, l.role_assignments) AS role_assignments,
    if(l.user_id IS NULL, p.expires_at, to_timestamp(l.expires_at)) AS expires_at,
    coalesce(p.first_listed_at, if(l.user_id IS NULL, NULL, $fetched_at)) AS first_listed_at,
    if(l.user_id IS NULL, p.last_listed_at, $fetched_at) AS last_listed_at,
    if($listed, l.user_id IS NOT NULL, coalesce(p.is_listed, false)) AS is_listed,
    CASE
        WHEN l.user_id IS NOT NULL THEN CAST(l.raw AS JSON)
        WHEN $personal THEN p.raw
    END AS raw
FROM ids AS i
LEFT JOIN listed_users AS l USING (user_id)
LEFT JOIN {schema}.users AS p USING (user_id)
LEFT JOIN (SELECT user_id, min(kind) AS kind FROM seen GROUP BY user_id) AS s USING (user_id)
ORDER BY i.user_id;
