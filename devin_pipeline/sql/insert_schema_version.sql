INSERT INTO {schema}.schema_version SELECT $version, now() WHERE NOT EXISTS (SELECT 1 FROM {schema}.schema_version);
