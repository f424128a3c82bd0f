-- Every user_id and service_user_id of the session snapshots has its row in {schema}.users.
SELECT DISTINCT named.user_id, named.kind
FROM (
    SELECT user_id, 'user' AS kind FROM {schema}.session_snapshots WHERE user_id IS NOT NULL
    UNION ALL
    SELECT service_user_id, 'service_user'
    FROM {schema}.session_snapshots
    WHERE service_user_id IS NOT NULL
) AS named
ANTI JOIN {schema}.users AS u ON u.user_id = named.user_id
ORDER BY ALL;
