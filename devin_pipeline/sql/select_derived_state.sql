-- What a derived table last applied: change, fingerprint, snapshot days (no row: never refreshed).
SELECT change_id, fingerprint, first_day, last_day
FROM {schema}.derived_state
WHERE table_name = $table;
