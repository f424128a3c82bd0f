-- org_name of devin.org_daily_metrics: the name of the org's latest listed version
-- (devin.organizations); NULL for an org never listed (or with the listing switched off).
UPDATE devin.org_daily_metrics AS m
SET org_name = o.name
FROM devin.organizations AS o
WHERE m.org_id = o.org_id AND o.name IS NOT NULL;
