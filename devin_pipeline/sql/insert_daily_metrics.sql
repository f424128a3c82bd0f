-- Fills {table} with its rows of the temp table built by create_daily_group_metrics.sql;
-- The carried placeholder adds the temp table's columns this table keeps besides the metrics (user_kind).
-- Name columns (org_name, user_name) stay NULL here and are filled by update_*_names.sql.
INSERT INTO {table} BY NAME
SELECT
    metric_date,
    group_key AS {group_column},{carried}
    sessions_created,
    sessions_updated,
    active_users,
    acus_consumed,
    prs_opened,
    prs_merged
FROM daily_group_metrics
WHERE dimension = '{group_column}'
ORDER BY metric_date, {group_column};
