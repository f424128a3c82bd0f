-- Logs that $source was rebuilt whole (kind 'all'): every table derived from it rebuilds too.
INSERT INTO {schema}.change_log VALUES ($change_id, $source, 'all', NULL, now());
