-- The six daily metrics of every org, category, user and origin (CONTRACT.md,
-- "org_daily_metrics", "user_daily_metrics"), in long form: one row per (dimension, group_key,
-- metric_date), where dimension names the column a table groups by ('org_id', 'category',
-- 'user_id' or 'origin'). Built once per recompute into a temp table, which the four metrics
-- tables are then copied from.
--
-- GROUPING SETS aggregate by all four in one pass over the versions; dimension_of()
-- (create_dimension_macro.sql) tells which set a row belongs to, and since no group column is
-- ever NULL, the one column a row is grouped by is the coalesce of the four. A user group is the session's user_id,
-- else its service_user_id, else 'unattributed'; `user_kind` says which.
--
-- A UTC day is CAST(make_timestamp(epoch_us(ts)) AS DATE): the same day as
-- CAST(timezone('UTC', ts) AS DATE) whatever the session's TimeZone, without ICU's per-row
-- time zone conversion, which cost ~10x as much (a second or two per 10M rows).
--
-- Scopes filled in by metrics_store.py select what is computed: the days (a rebuild: all; an
-- incremental refresh: those of refresh_days), the sessions created on them (a range of
-- created_at that DuckDB's zone maps can use) and the PRs (all, or those some session first
-- showed, or showed merged, on those days).
CREATE OR REPLACE TEMP TABLE daily_group_metrics AS
WITH day_versions AS MATERIALIZED (
    -- The attributed versions of the days computed ({schema}.version_acus), each carrying its
    -- session's group: the latest version's, so that a session never splits across groups.
    SELECT
        group_org_id AS org_id,
        category,
        user_key,
        user_kind,
        origin,
        metric_date,
        user_id,
        acus_delta,
        first_of_day
    FROM {schema}.version_acus
    WHERE {day_scope}
),
activity AS (
    SELECT
        dimension_of(grouping(org_id, category, user_key, origin)) AS dimension,
        coalesce(org_id, category, user_key, origin) AS group_key,
        any_value(user_kind) AS user_kind,
        metric_date,
        count(*) FILTER (WHERE first_of_day) AS sessions_updated,
        -- Summed as DECIMAL: exact, so a recompute over the same rows gives the same bits
        -- whatever order DuckDB's threads add them in.
        CAST(sum(CAST(acus_delta AS DECIMAL(38, 9))) AS DOUBLE) AS acus_consumed
    FROM day_versions
    GROUP BY GROUPING SETS (
        (metric_date, org_id), (metric_date, category), (metric_date, user_key), (metric_date, origin)
    )
),
daily_users AS (
    -- DISTINCT then count(*) per dimension: much cheaper in DuckDB than count(DISTINCT user_id)
    -- (or a DISTINCT over grouping sets).
    SELECT 'org_id' AS dimension, org_id AS group_key, metric_date, count(*) AS active_users
    FROM (SELECT DISTINCT org_id, metric_date, user_id FROM day_versions WHERE user_id IS NOT NULL)
    GROUP BY ALL
    UNION ALL
    SELECT 'category', category, metric_date, count(*)
    FROM (SELECT DISTINCT category, metric_date, user_id FROM day_versions WHERE user_id IS NOT NULL)
    GROUP BY ALL
    UNION ALL
    SELECT 'user_id', user_key, metric_date, count(*)
    FROM (SELECT DISTINCT user_key, metric_date, user_id FROM day_versions WHERE user_id IS NOT NULL)
    GROUP BY ALL
    UNION ALL
    SELECT 'origin', origin, metric_date, count(*)
    FROM (SELECT DISTINCT origin, metric_date, user_id FROM day_versions WHERE user_id IS NOT NULL)
    GROUP BY ALL
),
created AS (
    -- The sessions created on the days computed, in their latest version's group.
    SELECT
        dimension_of(grouping(org_id, category, user_key, origin)) AS dimension,
        coalesce(org_id, category, user_key, origin) AS group_key,
        any_value(user_kind) AS user_kind,
        metric_date,
        count(*) AS sessions_created
    FROM (
        SELECT
            org_id,
            unnest(session_group(category, user_id, service_user_id, origin)),
            CAST(make_timestamp(epoch_us(created_at)) AS DATE) AS metric_date
        FROM {schema}.sessions
        WHERE created_at IS NOT NULL AND {created_scope}
    )
    WHERE {day_scope}
    GROUP BY GROUPING SETS (
        (metric_date, org_id), (metric_date, category), (metric_date, user_key), (metric_date, origin)
    )
),
group_prs AS MATERIALIZED (
    -- A PR shown by several sessions of one group counts once, on its first day in the group.
    SELECT
        dimension_of(grouping(group_org_id, category, user_key, origin)) AS dimension,
        coalesce(group_org_id, category, user_key, origin) AS group_key,
        any_value(user_kind) AS user_kind,
        min(opened_on) AS opened_on,
        min(merged_on) AS merged_on
    FROM {schema}.session_pull_requests AS p
    WHERE {pr_scope}
    GROUP BY GROUPING SETS (
        (group_org_id, pr_url), (category, pr_url), (user_key, pr_url), (origin, pr_url)
    )
),
prs_opened AS (
    SELECT dimension, group_key, user_kind, metric_date, count(*) AS prs_opened
    FROM (SELECT *, opened_on AS metric_date FROM group_prs)
    WHERE {day_scope}
    GROUP BY ALL
),
prs_merged AS (
    SELECT dimension, group_key, user_kind, metric_date, count(*) AS prs_merged
    FROM (SELECT *, merged_on AS metric_date FROM group_prs)
    WHERE merged_on IS NOT NULL AND {day_scope}
    GROUP BY ALL
)
-- Every input row counts at least one session or PR, so no (day, group) row is all zeros.
SELECT
    dimension,
    group_key,
    any_value(user_kind) AS user_kind,
    metric_date,
    coalesce(sum(sessions_created), 0) AS sessions_created,
    coalesce(sum(sessions_updated), 0) AS sessions_updated,
    coalesce(sum(active_users), 0) AS active_users,
    coalesce(sum(acus_consumed), 0) AS acus_consumed,
    coalesce(sum(prs_opened), 0) AS prs_opened,
    coalesce(sum(prs_merged), 0) AS prs_merged
FROM (
    FROM activity
    UNION ALL BY NAME FROM daily_users
    UNION ALL BY NAME FROM created
    UNION ALL BY NAME FROM prs_opened
    UNION ALL BY NAME FROM prs_merged
)
GROUP BY dimension, group_key, metric_date;
