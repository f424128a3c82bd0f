-- A listing replaces every cycle: the endpoint is the whole truth about them.
DELETE FROM {schema}.billing_cycles;
