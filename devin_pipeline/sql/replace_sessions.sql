-- devin.sessions: each session's latest observed version, the row with the greatest updated_at
-- (CONTRACT.md). (session_id, updated_at) is the snapshots' key, so there are no ties.
CREATE OR REPLACE TABLE devin.sessions AS
SELECT *
FROM devin.session_snapshots
QUALIFY row_number() OVER (PARTITION BY session_id ORDER BY updated_at DESC) = 1;
