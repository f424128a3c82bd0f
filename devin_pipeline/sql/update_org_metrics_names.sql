-- org_name of {schema}.org_daily_metrics: the name of the org's latest listed version
-- ({schema}.organizations); NULL for an org never listed (or with the listing switched off).
UPDATE {schema}.org_daily_metrics AS m
SET org_name = o.name
FROM {schema}.organizations AS o
WHERE m.org_id = o.org_id AND o.name IS NOT NULL;
