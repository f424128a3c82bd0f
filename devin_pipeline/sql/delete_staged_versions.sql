-- Removes the stored rows that the stage replaces (same session_id and updated_at).
DELETE FROM devin.session_snapshots AS t
USING {stage} AS s
WHERE t.session_id = s.session_id AND t.updated_at = s.updated_at;
