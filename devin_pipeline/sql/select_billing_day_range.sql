-- The first and the latest billing day {schema}.acu_consumption holds (NULLs when empty).
SELECT min(billing_date), max(billing_date) FROM {schema}.acu_consumption;
