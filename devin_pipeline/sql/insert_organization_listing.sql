-- Records one successful listing and the org ids it held (devin.organization_listings).
INSERT INTO devin.organization_listings
SELECT $fetched_at, coalesce(list(DISTINCT org_id ORDER BY org_id), []::VARCHAR[])
FROM listed_organizations;
