-- Analyses stored while personal data was kept: not yet reduced to counts and labels (the
-- reduced form carries `timeline_entries`).
SELECT session_id, CAST(analysis AS VARCHAR) AS analysis
FROM {schema}.session_insights
WHERE analysis IS NOT NULL AND json_extract(analysis, '$.timeline_entries') IS NULL;
