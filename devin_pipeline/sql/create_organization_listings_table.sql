-- {schema}.organization_listings: one row per successful listing of the organizations, with the
-- ids it held. It is what first_listed_at, last_listed_at and is_listed of {schema}.organizations
-- are derived from (a deleted org simply stops being listed). Written with the versions.
CREATE TABLE IF NOT EXISTS {schema}.organization_listings (
    fetched_at TIMESTAMPTZ NOT NULL,
    org_ids    VARCHAR[] NOT NULL
);
