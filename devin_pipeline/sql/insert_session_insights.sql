-- This run's insights (registered as insight_rows), stamped with the time they were read.
INSERT INTO {schema}.session_insights
SELECT
    session_id,
    created_at,
    CAST(created_at AS DATE),
    session_size,
    num_user_messages,
    num_devin_messages,
    has_analysis,
    analysis_category,
    analysis_confidence,
    programming_languages,
    tools_and_frameworks,
    issues,
    action_items_by_type,
    CAST(analysis AS JSON),
    $fetched_at
FROM insight_rows;
