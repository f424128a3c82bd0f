-- The first and last snapshot day of the sessions of refresh_sessions: their stored span
-- widened by the changed days (a new version can only be on one). Every version of theirs lies
-- between, so a scope bounded by them lets DuckDB's zone maps skip the rest of the snapshots
-- (written day by day, so stored in day order).
SELECT
    least(min(s.first_day), (SELECT min(day) FROM changed_days WHERE source = $source)),
    greatest(max(s.last_day), (SELECT max(day) FROM changed_days WHERE source = $source))
FROM {schema}.session_spans AS s
WHERE s.session_id IN (SELECT session_id FROM refresh_sessions);
