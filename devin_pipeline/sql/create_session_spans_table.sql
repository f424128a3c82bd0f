-- {schema}.session_spans: each session's first and last snapshot day. Every version of a
-- session lies between them, so a refresh reads a changed session's versions from those days
-- only, which DuckDB's zone maps find without scanning all history.
CREATE OR REPLACE TABLE {schema}.session_spans (
    session_id VARCHAR NOT NULL,
    first_day  DATE    NOT NULL,
    last_day   DATE    NOT NULL
);
