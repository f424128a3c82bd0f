-- A digest of every person's IdP groups ({schema}.users): the team cohorts of outcome_metrics
-- depend on all of them, so a change rebuilds that table whole.
SELECT md5(coalesce(string_agg(
    user_id || '=' || CAST(list_sort(list_distinct(list_transform(
        role_assignments, lambda r: r.idp_group_name
    ))) AS VARCHAR), ';' ORDER BY user_id
), ''))
FROM {schema}.users
WHERE kind = 'user';
