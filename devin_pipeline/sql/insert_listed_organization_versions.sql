-- Types this listing's items (listed_organizations: org_id, updated_at, raw JSON text) into
-- {schema}.organization_versions. The resource validated every item, so json_transform never
-- meets a wrong type; missing optional fields become NULL.
INSERT INTO {schema}.organization_versions
SELECT
    l.org_id,
    item.name,
    to_timestamp(item.created_at),
    to_timestamp(l.updated_at),
    item.max_cycle_acu_limit,
    item.max_session_acu_limit,
    $fetched_at,
    CAST(l.raw AS JSON)
FROM (
    SELECT
        *,
        json_transform(raw, '{{
            "name": "VARCHAR", "created_at": "BIGINT",
            "max_cycle_acu_limit": "DOUBLE", "max_session_acu_limit": "DOUBLE"
        }}') AS item
    FROM listed_organizations
) AS l;
