-- {schema}.change_log: which days of a day-keyed table changed, in commit order. Each writer
-- appends to it in the transaction that changes its table; each derived table remembers the
-- last change_id it applied ({schema}.derived_state) and recomputes only the keys of the days
-- logged since (warehouse/change_log.py). One row per (change, day): a few a day, never trimmed.
-- kind: 'versions' (the source's rows of the day changed), 'created' (a changed session was
-- or is created that day: only source 'sessions' logs it), 'all' (rebuilt whole; day NULL).
CREATE TABLE IF NOT EXISTS {schema}.change_log (
    change_id BIGINT      NOT NULL,
    source    VARCHAR     NOT NULL,
    kind      VARCHAR     NOT NULL,
    day       DATE,
    logged_at TIMESTAMPTZ NOT NULL
);
