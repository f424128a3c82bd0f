-- staged_versions(path): a day's stage file (ingest/stage_file.py), one row per fetched item.
-- Lines are `<fetched_at us>\t<updated_at>\t<session_id as JSON>\t<item JSON>`; JSON escapes
-- tabs and newlines inside strings, so quoting and escaping are off and only the three
-- separators are raw tabs. The key needs no parsing of the item: the merge's DELETE reads
-- only the first three fields.
CREATE OR REPLACE TEMP MACRO staged_versions(path) AS TABLE
SELECT
    json_extract_string(session_id_json, '$') AS session_id,
    to_timestamp(updated_epoch) AS updated_at,
    make_timestamptz(fetched_us) AS fetched_at,
    raw
FROM read_csv(
    path,
    delim = '\t',
    quote = '',
    escape = '',
    header = false,
    auto_detect = false,
    columns = {{
        'fetched_us': 'BIGINT',
        'updated_epoch': 'BIGINT',
        'session_id_json': 'VARCHAR',
        'raw': 'VARCHAR'
    }},
    max_line_size = 1073741824
);
