-- Types the items of the stage file $path into the table. The resource validated every item
-- against the API schema, so json_transform never meets a wrong type (it would coerce or NULL
-- it); missing optional fields become NULL, `[]` stays an empty list. Dates are UTC (TimeZone
-- pinned).
INSERT INTO {schema}.session_snapshots
SELECT
    s.session_id, item.url, item.status, item.status_detail, item.title, item.org_id,
    item.user_id, item.service_user_id, item.origin, item.category, item.subcategory, item.tags,
    item.playbook_id, item.parent_session_id, item.child_session_ids, item.is_archived,
    item.acus_consumed, item.pull_requests, item.structured_output,
    to_timestamp(item.created_at), s.updated_at,
    CAST(timezone('UTC', s.updated_at) AS DATE) AS snapshot_date,
    s.fetched_at,
    CAST(s.raw AS JSON)
FROM (
    SELECT
        *,
        json_transform(raw, '{{
            "url": "VARCHAR", "status": "VARCHAR", "status_detail": "VARCHAR",
            "title": "VARCHAR", "org_id": "VARCHAR", "user_id": "VARCHAR",
            "service_user_id": "VARCHAR", "origin": "VARCHAR", "category": "VARCHAR",
            "subcategory": "VARCHAR", "tags": ["VARCHAR"], "playbook_id": "VARCHAR",
            "parent_session_id": "VARCHAR", "child_session_ids": ["VARCHAR"],
            "is_archived": "BOOLEAN", "acus_consumed": "DOUBLE",
            "pull_requests": [{{"pr_url": "VARCHAR", "pr_state": "VARCHAR"}}],
            "structured_output": "JSON", "created_at": "BIGINT"
        }}') AS item
    FROM staged_versions($path)
) AS s;
