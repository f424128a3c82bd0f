-- {schema}.session_pull_requests: per session and PR, the first UTC day one of its versions
-- showed the PR (any state) and showed it merged, and the session's group (its latest
-- version's, from {schema}.version_acus). A function of the session's own versions, kept with
-- the sessions so that the daily metrics' PR counts (the first day per group, over all sessions
-- showing the PR) need not unnest every version's pull_requests again.
CREATE OR REPLACE TABLE {schema}.session_pull_requests (
    session_id   VARCHAR NOT NULL,
    pr_url       VARCHAR NOT NULL,
    opened_on    DATE    NOT NULL,
    merged_on    DATE,
    group_org_id VARCHAR,
    category     VARCHAR NOT NULL,
    user_key     VARCHAR NOT NULL,
    user_kind    VARCHAR NOT NULL,
    origin       VARCHAR NOT NULL
);
