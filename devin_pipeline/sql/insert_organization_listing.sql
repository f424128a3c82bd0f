-- Records one successful listing and the org ids it held ({schema}.organization_listings).
INSERT INTO {schema}.organization_listings
SELECT $fetched_at, coalesce(list(DISTINCT org_id ORDER BY org_id), []::VARCHAR[])
FROM listed_organizations;
