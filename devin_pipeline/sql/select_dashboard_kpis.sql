-- The dashboard's headline figures for [$start, $end]: sessions, ACUs and merged PRs of the
-- per-org metrics; weekly and monthly active users over the 7 and 30 days ending on $end.
SELECT
    (SELECT coalesce(sum(sessions_created), 0) FROM {schema}.org_daily_metrics
     WHERE metric_date BETWEEN $start AND $end) AS sessions,
    (SELECT coalesce(sum(acus_consumed), 0) FROM {schema}.org_daily_metrics
     WHERE metric_date BETWEEN $start AND $end) AS acus,
    (SELECT coalesce(sum(prs_merged), 0) FROM {schema}.org_daily_metrics
     WHERE metric_date BETWEEN $start AND $end) AS prs_merged,
    (SELECT count(DISTINCT user_id) FROM {schema}.session_snapshots
     WHERE snapshot_date BETWEEN $end - 6 AND $end) AS wau,
    (SELECT count(DISTINCT user_id) FROM {schema}.session_snapshots
     WHERE snapshot_date BETWEEN $end - 29 AND $end) AS mau;
