-- refresh_sessions: the sessions with a version on one of the days of changed_days (of $source,
-- kind $kind): those whose latest version, ACU attribution or PRs may have changed.
CREATE OR REPLACE TEMP TABLE refresh_sessions AS
SELECT DISTINCT session_id
FROM {schema}.session_snapshots
WHERE snapshot_date IN (SELECT day FROM changed_days WHERE source = $source AND kind = $kind);
