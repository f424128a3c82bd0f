-- One complete listing of the members lists (listed_users, already scrubbed of names and
-- emails when personal data is off), stamped with when it was read.
INSERT INTO {schema}.member_listings
SELECT
    $fetched_at,
    user_id,
    kind,
    name,
    email,
    role_assignments,
    to_timestamp(expires_at),
    CAST(raw AS JSON)
FROM listed_users;
