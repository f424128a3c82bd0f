-- Removes the rows of {table} whose {day_column} is one of refresh_days, to be recomputed.
DELETE FROM {table} WHERE {day_column} IN (SELECT day FROM refresh_days);
