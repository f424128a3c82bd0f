-- Records that {schema}.$table now reflects every change up to $change_id and the snapshot days
-- [$first_day, $last_day], computed with $fingerprint (rebuilt whole: $rebuilt).
INSERT OR REPLACE INTO {schema}.derived_state
VALUES ($table, $change_id, $fingerprint, $first_day, $last_day, $rebuilt, now());
