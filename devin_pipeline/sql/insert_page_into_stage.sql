-- Types one Arrow page batch ({batch}) into the day's stage; dates are UTC (TimeZone pinned).
INSERT INTO {stage}
SELECT
    session_id, url, status, status_detail, title, org_id, user_id, service_user_id, origin,
    category, subcategory, tags, playbook_id, parent_session_id, child_session_ids, is_archived,
    acus_consumed, pull_requests, CAST(structured_output AS JSON),
    to_timestamp(created_at), to_timestamp(updated_at),
    CAST(timezone('UTC', to_timestamp(updated_at)) AS DATE) AS snapshot_date,
    CAST($fetched_at AS TIMESTAMPTZ) AS fetched_at,
    CAST(raw AS JSON)
FROM {batch};
