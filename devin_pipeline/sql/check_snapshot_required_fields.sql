-- Fields every stored version must have: versions missing any, with the missing ones named.
SELECT
    session_id,
    updated_at,
    concat_ws(
        ', ',
        CASE WHEN session_id IS NULL THEN 'session_id' END,
        CASE WHEN updated_at IS NULL THEN 'updated_at' END,
        CASE WHEN created_at IS NULL THEN 'created_at' END,
        CASE WHEN org_id IS NULL THEN 'org_id' END,
        CASE WHEN status IS NULL THEN 'status' END,
        CASE WHEN acus_consumed IS NULL THEN 'acus_consumed' END,
        CASE WHEN raw IS NULL THEN 'raw' END,
        CASE WHEN snapshot_date IS NULL THEN 'snapshot_date' END,
        CASE WHEN fetched_at IS NULL THEN 'fetched_at' END
    ) AS null_fields
FROM {schema}.session_snapshots
WHERE session_id IS NULL
    OR updated_at IS NULL
    OR created_at IS NULL
    OR org_id IS NULL
    OR status IS NULL
    OR acus_consumed IS NULL
    OR raw IS NULL
    OR snapshot_date IS NULL
    OR fetched_at IS NULL
ORDER BY session_id, updated_at;
