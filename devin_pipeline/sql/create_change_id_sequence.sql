-- Numbers the changes of {schema}.change_log in commit order (create_change_log_table.sql).
CREATE SEQUENCE IF NOT EXISTS {schema}.change_ids;
