-- {schema}.outcome_metrics (CONTRACT.md): cohorts of sessions by created month, per dimension.
-- Re-created empty by a rebuild; insert_outcome_metrics.sql fills it.
CREATE OR REPLACE TABLE {schema}.outcome_metrics (
    month                   DATE,
    dimension               VARCHAR NOT NULL,
    dimension_value         VARCHAR,
    org_name                VARCHAR,
    sessions_created        BIGINT  NOT NULL,
    sessions_with_merged_pr BIGINT  NOT NULL,
    merge_rate              DOUBLE,
    prs_merged              BIGINT,
    acus                    DOUBLE,
    acus_per_merged_pr      DOUBLE,
    cost                    DOUBLE,
    cost_per_merged_pr      DOUBLE,
    is_settled              BOOLEAN
);
