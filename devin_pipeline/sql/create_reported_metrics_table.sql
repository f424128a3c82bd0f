-- {schema}.reported_metrics: what Devin's own metrics endpoints said, one row per
-- (period, period_start, metric, dimension) (CONTRACT.md). Created empty on first connection
-- so that the cross-check can always join it.
CREATE TABLE IF NOT EXISTS {schema}.reported_metrics (
    period       VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    metric       VARCHAR NOT NULL,
    dimension    VARCHAR NOT NULL,
    value        DOUBLE NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL
);
