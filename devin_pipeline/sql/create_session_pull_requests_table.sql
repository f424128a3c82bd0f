-- {schema}.session_pull_requests: per session and PR, the first UTC day one of its versions
-- showed the PR (any state) and showed it merged. A function of the session's own versions,
-- kept with the sessions so that the daily metrics' PR counts (the first day per group, over
-- all sessions showing the PR) need not unnest every version's pull_requests again.
CREATE OR REPLACE TABLE {schema}.session_pull_requests (
    session_id VARCHAR NOT NULL,
    pr_url     VARCHAR NOT NULL,
    opened_on  DATE    NOT NULL,
    merged_on  DATE
);
