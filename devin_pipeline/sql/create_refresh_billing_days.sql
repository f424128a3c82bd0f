-- refresh_days for the reconciliation: the billing days of the UTC days `sessions` logged (a
-- version of UTC day D is on billing day D - 1 before 08:00 UTC, on D after) and the billing
-- days acu_consumption logged.
CREATE OR REPLACE TEMP TABLE refresh_days AS
SELECT DISTINCT day
FROM (
    SELECT day FROM changed_days WHERE source = 'sessions' AND kind = 'versions'
    UNION ALL
    SELECT CAST(day - INTERVAL 1 DAY AS DATE)
    FROM changed_days
    WHERE source = 'sessions' AND kind = 'versions'
    UNION ALL
    SELECT day FROM changed_days WHERE source = 'acu_consumption'
)
WHERE day IS NOT NULL;
