-- {schema}.active_user_metrics (CONTRACT.md): distinct users per UTC day, week and month,
-- enterprise-wide and per org. Re-created empty by a rebuild; insert_active_user_metrics.sql
-- fills it.
CREATE OR REPLACE TABLE {schema}.active_user_metrics (
    period         VARCHAR NOT NULL,
    period_start   DATE    NOT NULL,
    period_end     DATE    NOT NULL,
    scope          VARCHAR NOT NULL,
    scope_id       VARCHAR NOT NULL,
    org_name       VARCHAR,
    active_users   BIGINT  NOT NULL,
    creating_users BIGINT  NOT NULL,
    is_complete    BOOLEAN NOT NULL
);
