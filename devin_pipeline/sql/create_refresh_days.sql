-- refresh_days: the days whose rows an incremental refresh recomputes, to begin with those of
-- changed_days of $source (any kind); callers add the days their own keys reach.
CREATE OR REPLACE TEMP TABLE refresh_days AS
SELECT DISTINCT day FROM changed_days WHERE source = $source AND day IS NOT NULL;
