-- The first of refresh_days and the day after the last: the UTC days whose versions fall on
-- those billing days (billing day B holds versions of UTC days B and B + 1).
SELECT min(day), max(day) + 1 FROM refresh_days;
