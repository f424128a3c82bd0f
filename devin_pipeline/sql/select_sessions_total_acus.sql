-- The sum of every session's latest acus_consumed, for the metadata Dagster plots.
SELECT coalesce(sum(acus_consumed), 0)
FROM {schema}.sessions;
