-- {schema}.billing_cycles (CONTRACT.md): one row per cycle the cycles endpoint listed,
-- [cycle_start, cycle_end) as UTC instants (`after`, `before`); replaced whole by each listing.
CREATE TABLE IF NOT EXISTS {schema}.billing_cycles (
    cycle_start TIMESTAMPTZ NOT NULL PRIMARY KEY,
    cycle_end   TIMESTAMPTZ NOT NULL,
    fetched_at  TIMESTAMPTZ NOT NULL
);
