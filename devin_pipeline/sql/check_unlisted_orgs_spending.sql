-- Sessions of orgs the latest listing no longer holds (deleted orgs still spending), with
-- their latest ACUs. Only once a listing exists: with the listing off, no org is "unlisted".
SELECT s.org_id, o.name AS last_listed_name, o.last_listed_at, s.session_id, s.acus_consumed
FROM devin.sessions AS s
JOIN devin.organizations AS o USING (org_id)
WHERE NOT o.is_listed AND EXISTS (SELECT 1 FROM devin.organization_listings)
ORDER BY s.acus_consumed DESC, s.session_id;
