-- Removes the rows of billing days $first..$last of the scopes this run read ($scopes), which
-- insert_consumption_rows.sql then replaces: consumption is an aggregate the API revises, not
-- a version history.
DELETE FROM {schema}.acu_consumption
WHERE billing_date BETWEEN $first AND $last AND list_contains($scopes, scope);
