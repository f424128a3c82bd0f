-- Removes the rows of {schema}.active_user_metrics of refresh_periods, to be recomputed.
DELETE FROM {schema}.active_user_metrics AS t
USING refresh_periods AS r
WHERE t.period = r.period AND t.period_start = r.period_start;
