-- {schema}.acu_reconciliation (CONTRACT.md): per billing day and org, billed beside
-- session-derived ACUs. Re-created empty by a rebuild; insert_acu_reconciliation.sql fills it.
CREATE OR REPLACE TABLE {schema}.acu_reconciliation (
    billing_date DATE    NOT NULL,
    org_id       VARCHAR,
    org_name     VARCHAR,
    billed_acus  DOUBLE  NOT NULL,
    session_acus DOUBLE  NOT NULL,
    difference   DOUBLE  NOT NULL
);
