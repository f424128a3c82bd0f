-- {schema}.derived_state: per derived table, the last change_id of {schema}.change_log it
-- applied, the fingerprint (its SQL and parameters) it was computed with, and the first and
-- last snapshot day it saw (periods and windows bounded by them move when they do), and whether
-- that refresh rebuilt it whole. A table without a row, or with another fingerprint, is rebuilt
-- whole.
CREATE TABLE IF NOT EXISTS {schema}.derived_state (
    table_name   VARCHAR     NOT NULL PRIMARY KEY,
    change_id    BIGINT      NOT NULL,
    fingerprint  VARCHAR     NOT NULL,
    first_day    DATE,
    last_day     DATE,
    rebuilt      BOOLEAN     NOT NULL,
    refreshed_at TIMESTAMPTZ NOT NULL
);
