-- This run's rows (registered as consumption_rows), stamped with the time they were read.
INSERT INTO {schema}.acu_consumption
SELECT billing_date, scope, scope_id, product, acus, $fetched_at
FROM consumption_rows;
