-- Fills {table} with its rows of the temp table built by create_daily_group_metrics.sql.
INSERT INTO {table}
SELECT
    metric_date,
    group_key AS {group_column},
    sessions_created,
    sessions_updated,
    active_users,
    acus_consumed,
    prs_opened,
    prs_merged
FROM daily_group_metrics
WHERE dimension = '{group_column}'
ORDER BY metric_date, {group_column};
