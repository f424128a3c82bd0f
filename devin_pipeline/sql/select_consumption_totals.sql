-- Enterprise-wide billed ACUs by product over every billing day held, for the metadata.
SELECT product, round(sum(acus), 4) AS acus
FROM {schema}.acu_consumption
WHERE scope = 'enterprise'
GROUP BY product
ORDER BY product;
