-- A per-day staging table: pages land here, the day's merge reads it in one transaction.
CREATE OR REPLACE TEMP TABLE {stage} AS SELECT * FROM devin.session_snapshots LIMIT 0;
