-- Sessions of orgs the latest listing no longer holds (deleted orgs still spending), with the
-- ACUs their versions in that org reported. Only once a listing exists: with the listing off,
-- no org counts as unlisted.
SELECT
    v.org_id,
    any_value(o.name) AS last_listed_name,
    any_value(o.last_listed_at) AS last_listed_at,
    v.session_id,
    max(v.acus_consumed) AS acus_consumed,
    max(v.updated_at) AS last_seen
FROM {schema}.session_snapshots AS v
JOIN {schema}.organizations AS o USING (org_id)
WHERE NOT o.is_listed AND EXISTS (SELECT 1 FROM {schema}.organization_listings)
GROUP BY v.org_id, v.session_id
ORDER BY max(v.acus_consumed) DESC, v.session_id;
