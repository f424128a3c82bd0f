-- dimension_of(grouping(org_id, category, user_key, origin)): which of the four grouping sets
-- of create_daily_group_metrics.sql a row belongs to, named as the column its table groups by.
-- grouping() sets a bit for each column the row is NOT grouped by (org_id the highest).
CREATE OR REPLACE TEMP MACRO dimension_of(grouping_id) AS
CASE grouping_id
    WHEN 7 THEN 'org_id'
    WHEN 11 THEN 'category'
    WHEN 13 THEN 'user_id'
    WHEN 14 THEN 'origin'
END;
