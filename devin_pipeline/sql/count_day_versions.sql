-- How many versions of day $day are stored (snapshot_date zone maps make it cheap).
SELECT count(*) FROM {schema}.session_snapshots WHERE snapshot_date = $day;
