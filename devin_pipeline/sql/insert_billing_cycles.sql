-- This listing's cycles (registered as cycle_rows), stamped with the time they were read.
INSERT INTO {schema}.billing_cycles
SELECT DISTINCT ON (cycle_start) cycle_start, cycle_end, $fetched_at
FROM cycle_rows
ORDER BY cycle_start, cycle_end DESC;
