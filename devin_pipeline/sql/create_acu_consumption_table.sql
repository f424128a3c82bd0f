-- {schema}.acu_consumption: what the consumption endpoints said about each billing day
-- [B 08:00 UTC, B+1 08:00 UTC), one row per (billing_date, scope, scope_id, product)
-- (CONTRACT.md). `product` is each key of acus_by_product as sent, plus 'all' for `acus`.
CREATE TABLE IF NOT EXISTS {schema}.acu_consumption (
    billing_date DATE        NOT NULL,
    scope        VARCHAR     NOT NULL,
    scope_id     VARCHAR     NOT NULL,
    product      VARCHAR     NOT NULL,
    acus         DOUBLE,
    fetched_at   TIMESTAMPTZ NOT NULL
);
