-- acus_consumed is cumulative, so it should never go down between consecutive observed
-- versions of a session (the metrics then attribute a negative amount): each decrease.
SELECT session_id, previous_updated_at, updated_at, previous_acus, acus_consumed
FROM (
    SELECT
        session_id,
        updated_at,
        acus_consumed,
        lag(updated_at) OVER session_order AS previous_updated_at,
        lag(acus_consumed) OVER session_order AS previous_acus
    FROM {schema}.session_snapshots
    WINDOW session_order AS (PARTITION BY session_id ORDER BY updated_at)
)
WHERE acus_consumed < previous_acus
ORDER BY session_id, updated_at;
