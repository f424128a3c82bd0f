-- Whether table $table exists in schema $schema of the open file (1) or not (0).
SELECT count(*) FROM information_schema.tables
WHERE table_schema = $schema AND table_name = $table AND table_catalog = current_database();
