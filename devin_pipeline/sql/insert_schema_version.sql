INSERT INTO {schema}.schema_version SELECT $version WHERE NOT EXISTS (SELECT 1 FROM {schema}.schema_version);
