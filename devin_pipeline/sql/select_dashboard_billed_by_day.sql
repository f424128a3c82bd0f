-- What Devin billed the enterprise (product `all`) per billing day of [$start, $end].
SELECT billing_date AS day, round(sum(acus), 4) AS billed_acus
FROM {schema}.acu_consumption
WHERE scope = 'enterprise' AND product = 'all' AND billing_date BETWEEN $start AND $end
GROUP BY billing_date
ORDER BY day;
