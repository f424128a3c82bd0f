-- The partitions a run re-read, [$first, $last] by the UTC date of created_at.
DELETE FROM {schema}.session_insights WHERE created_date BETWEEN $first AND $last;
