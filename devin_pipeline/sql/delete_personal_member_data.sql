-- With personal data off: forget the names, emails and raw items earlier listings stored with
-- it on (rows written with it off carry neither and keep their scrubbed raw item).
UPDATE {schema}.member_listings
SET name = NULL, email = NULL, raw = NULL
WHERE name IS NOT NULL OR email IS NOT NULL;
