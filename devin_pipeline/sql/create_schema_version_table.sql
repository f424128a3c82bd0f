CREATE TABLE IF NOT EXISTS {schema}.schema_version (version INTEGER NOT NULL);
