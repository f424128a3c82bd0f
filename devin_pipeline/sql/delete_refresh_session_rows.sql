-- Removes the rows of {table} of the sessions of refresh_sessions (the scope says so, bounded
-- by their days where the table is day-ordered), to be recomputed.
DELETE FROM {table} WHERE {session_scope};
