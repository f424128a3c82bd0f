-- acus_consumed is cumulative, so it should never go down: each version the metrics attribute a
-- negative amount to ({schema}.version_acus: its acus_consumed below the session's last known
-- one). Reads the attribution the sessions step keeps, not a window over every version.
SELECT session_id, updated_at, acus_delta
FROM {schema}.version_acus
WHERE acus_delta < 0
ORDER BY session_id, updated_at;
