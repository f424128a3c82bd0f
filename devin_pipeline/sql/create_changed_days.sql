-- changed_days: the days of $sources logged after change $since up to $through, what a
-- derived table's incremental refresh recomputes from (warehouse/change_log.py).
CREATE OR REPLACE TEMP TABLE changed_days AS
SELECT DISTINCT source, kind, day
FROM {schema}.change_log
WHERE change_id > $since AND change_id <= $through AND list_contains($sources, source);
