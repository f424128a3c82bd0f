-- {schema}.session_insights (CONTRACT.md): one row per session of the insights list, in daily
-- partitions by the UTC day of created_at (created_date); a partition is replaced whole.
CREATE TABLE IF NOT EXISTS {schema}.session_insights (
    session_id            VARCHAR     NOT NULL PRIMARY KEY,
    created_at            TIMESTAMPTZ NOT NULL,
    created_date          DATE        NOT NULL,
    session_size          VARCHAR,
    num_user_messages     BIGINT,
    num_devin_messages    BIGINT,
    has_analysis          BOOLEAN     NOT NULL,
    analysis_category     VARCHAR,
    analysis_confidence   DOUBLE,
    programming_languages VARCHAR[],
    tools_and_frameworks  VARCHAR[],
    issues                INTEGER,
    action_items_by_type  MAP(VARCHAR, INTEGER),
    analysis              JSON,
    fetched_at            TIMESTAMPTZ NOT NULL
);
