-- Fills {schema}.sessions with each session's latest observed version, the row with the
-- greatest updated_at (CONTRACT.md), for the sessions the scope lets through (all, or those of
-- refresh_sessions). (session_id, updated_at) is the snapshots' key, so there
-- are no ties.
--
-- DuckDB plans this without sorting: an arg_max of rowid by updated_at per session over the
-- two narrow key columns, then a rowid semi-join that reads the wide columns (`raw` above all)
-- of the latest rows only. BY NAME fails loudly if the snapshots gain a column sessions lack.
-- Stored in created_at order, so that the zone maps of a created_at range (a day's or month's
-- cohort) skip the rest.
INSERT INTO {schema}.sessions BY NAME
SELECT *
FROM {schema}.session_snapshots
WHERE {session_scope}
QUALIFY row_number() OVER (PARTITION BY session_id ORDER BY updated_at DESC) = 1
ORDER BY created_at;
