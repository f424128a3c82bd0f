-- The cycles of the latest listing, in order.
SELECT cycle_start, cycle_end FROM {schema}.billing_cycles ORDER BY cycle_start;
