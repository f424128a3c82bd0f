-- All-time totals of one metrics table ({table}), for the metadata Dagster plots.
SELECT
    coalesce(sum(acus_consumed), 0),
    coalesce(sum(sessions_created), 0),
    coalesce(sum(prs_merged), 0)
FROM {table};
