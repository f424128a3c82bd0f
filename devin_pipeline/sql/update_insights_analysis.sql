-- Replaces the analysis of the sessions in scrubbed_rows (session_id, analysis).
UPDATE {schema}.session_insights AS i
SET analysis = CAST(s.analysis AS JSON)
FROM scrubbed_rows AS s
WHERE i.session_id = s.session_id;
