-- How fresh one table is: its latest partition day, its latest fetch and its rows.
SELECT max({day_column}) AS last_day, max({fetched_column}) AS last_fetched_at, count(*) AS row_count
FROM {table};
