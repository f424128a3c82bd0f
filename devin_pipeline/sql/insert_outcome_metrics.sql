-- Fills {schema}.outcome_metrics (CONTRACT.md): cohorts of {schema}.sessions by the UTC month of
-- created_at, per dimension: enterprise, org (of the latest version), category (NULL as
-- uncategorized), origin (NULL as unknown), session_size (from session_insights, unknown
-- without a row) and team (each IdP group of the session's user in {schema}.users, no_team
-- when none: a session counts once in each of its user's groups).
-- A cohort is settled once its month's last day is more than $lookback days before the
-- latest snapshot day. Money columns are times $price (NULL when unset).
-- The scope (insight_store.py) selects the cohorts computed: all on a rebuild, the months of
-- refresh_days on an incremental refresh.
INSERT INTO {schema}.outcome_metrics
WITH cohort AS (
    SELECT
        s.session_id,
        CAST(date_trunc('month', s.created_at) AS DATE) AS month,
        s.org_id,
        coalesce(s.category, 'uncategorized') AS category,
        coalesce(s.origin, 'unknown') AS origin,
        coalesce(i.session_size, 'unknown') AS session_size,
        s.user_id,
        s.acus_consumed,
        list_filter(s.pull_requests, lambda p: p.pr_state = 'merged') AS merged
    FROM {schema}.sessions AS s
    LEFT JOIN {schema}.session_insights AS i USING (session_id)
    WHERE {month_scope}
),
groups AS (
    SELECT
        user_id,
        list_distinct(list_filter(
            list_transform(role_assignments, lambda r: r.idp_group_name), lambda g: g IS NOT NULL
        )) AS teams
    FROM {schema}.users
    WHERE kind = 'user'
),
teams AS (
    SELECT
        c.*,
        unnest(CASE WHEN len(coalesce(g.teams, [])) = 0 THEN ['no_team'] ELSE g.teams END) AS team
    FROM cohort AS c
    LEFT JOIN groups AS g ON g.user_id = c.user_id
),
members AS (
    SELECT month, 'enterprise' AS dimension, '' AS dimension_value, session_id, acus_consumed, merged
    FROM cohort
    UNION ALL SELECT month, 'org', org_id, session_id, acus_consumed, merged FROM cohort
    UNION ALL SELECT month, 'category', category, session_id, acus_consumed, merged FROM cohort
    UNION ALL SELECT month, 'origin', origin, session_id, acus_consumed, merged FROM cohort
    UNION ALL SELECT month, 'session_size', session_size, session_id, acus_consumed, merged FROM cohort
    UNION ALL SELECT month, 'team', team, session_id, acus_consumed, merged FROM teams
),
cohorts AS (
    SELECT
        month,
        dimension,
        dimension_value,
        count(*) AS sessions_created,
        count(*) FILTER (WHERE len(merged) > 0) AS sessions_with_merged_pr,
        sum(CAST(acus_consumed AS DECIMAL(38, 9))) AS acus
    FROM members
    GROUP BY ALL
),
merged_prs AS (
    -- Unnested, then counted: far cheaper than a distinct over one list of every group's PRs.
    SELECT month, dimension, dimension_value, count(DISTINCT pr_url) AS prs_merged
    FROM (
        SELECT month, dimension, dimension_value, unnest(merged).pr_url AS pr_url
        FROM members
        WHERE len(merged) > 0
    )
    GROUP BY ALL
),
latest AS (
    SELECT max(snapshot_date) AS last_day FROM {schema}.session_snapshots
)
SELECT
    month,
    dimension,
    dimension_value,
    CASE WHEN dimension = 'org' THEN o.name END AS org_name,
    sessions_created,
    sessions_with_merged_pr,
    sessions_with_merged_pr / nullif(sessions_created, 0) AS merge_rate,
    prs_merged,
    CAST(acus AS DOUBLE) AS acus,
    CAST(acus AS DOUBLE) / nullif(prs_merged, 0) AS acus_per_merged_pr,
    CAST(acus AS DOUBLE) * CAST($price AS DOUBLE) AS cost,
    CAST(acus AS DOUBLE) / nullif(prs_merged, 0) * CAST($price AS DOUBLE) AS cost_per_merged_pr,
    datediff('day', CAST(month + INTERVAL 1 MONTH AS DATE) - 1, l.last_day) > $lookback AS is_settled
FROM (
    SELECT c.*, coalesce(m.prs_merged, 0) AS prs_merged
    FROM cohorts AS c
    LEFT JOIN merged_prs AS m
        ON m.month IS NOT DISTINCT FROM c.month
        AND m.dimension = c.dimension
        AND m.dimension_value IS NOT DISTINCT FROM c.dimension_value
)
CROSS JOIN latest AS l
LEFT JOIN {schema}.organizations AS o ON dimension = 'org' AND o.org_id = dimension_value
ORDER BY month, dimension, dimension_value;
