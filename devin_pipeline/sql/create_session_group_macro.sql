-- session_group(category, user_id, service_user_id, origin) of a session's latest version: the
-- groups the daily metrics put it in (CONTRACT.md): its category, else 'uncategorized'; its
-- user_id, else its service_user_id, else 'unattributed' (user_kind says which); its origin,
-- else 'unknown'. A struct: `unnest(session_group(...))` makes it four columns.
CREATE OR REPLACE TEMP MACRO session_group(category, user_id, service_user_id, origin) AS {{
    'category': coalesce(category, 'uncategorized'),
    'user_key': coalesce(user_id, service_user_id, 'unattributed'),
    'user_kind': CASE
        WHEN user_id IS NOT NULL THEN 'user'
        WHEN service_user_id IS NOT NULL THEN 'service_user'
        ELSE 'unattributed'
    END,
    'origin': coalesce(origin, 'unknown')
}};
