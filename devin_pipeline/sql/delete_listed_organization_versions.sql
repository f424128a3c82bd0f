-- Removes the stored versions that this listing (registered as listed_organizations) lists
-- again, so that insert_listed_organization_versions.sql replaces them.
DELETE FROM {schema}.organization_versions AS t
USING listed_organizations AS l
WHERE t.org_id = l.org_id AND t.updated_at = to_timestamp(l.updated_at);
