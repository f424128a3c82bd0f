"""Synthetic `devin.session_snapshots` rows at any scale, generated inside DuckDB.

Pure SQL over `range(n)` so that 10M rows take seconds, not the minutes a Python loop would.
Values come from `hash(i, seed)`, not `random()`, so a seed always gives the same rows.
"""

from __future__ import annotations

import duckdb

# Each session is observed this many times: spread over days, its ACUs growing each time.
VERSIONS_PER_SESSION = 5
ORGS = 50
CATEGORIES = (
    "bug_fixing",
    "ci_cd_and_devops",
    "code_review_and_analysis",
    "data_and_automation",
    "feature_development",
    "migrations_and_upgrades",
    "refactoring_and_optimization",
    "unit_test_generation",
)

_INSERT = """
INSERT INTO devin.session_snapshots BY NAME
WITH versions AS (
    SELECT
        i // $versions AS s,
        i % $versions AS k,
        -- One 62-bit hash per session, cut into independent small draws.
        CAST(hash(i // $versions, $seed) >> 2 AS BIGINT) AS h,
        TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds(h % (365 * 86400)) AS created_at,
        -- 1 to 30 hours between observations, so a session's versions span several days.
        created_at + to_seconds(k * (3600 + (h >> 20) % (29 * 3600))) AS updated_at,
        -- Cumulative ACUs: each observation adds a positive amount.
        (k + 1) * (0.5 + ((h >> 8) % 1000) / 100.0) AS acus_consumed,
        $categories AS categories
    FROM range($rows) AS t(i)
)
SELECT
    'devin-' || s AS session_id,
    'https://app.devin.ai/sessions/' || s AS url,
    CASE WHEN k = $versions - 1 THEN 'exit' ELSE 'running' END AS status,
    'org-' || ((h >> 12) % $orgs) AS org_id,
    -- About one session in ten runs as a service user (no user_id).
    CASE WHEN (h >> 16) % 10 = 0 THEN NULL ELSE 'user-' || ((h >> 24) % 5000) END AS user_id,
    CASE WHEN (h >> 16) % 10 = 0 THEN 'svc-' || ((h >> 24) % 20) END AS service_user_id,
    'webapp' AS origin,
    -- The category is set from the second observation on; one session in eight never gets one.
    CASE WHEN k > 0 AND (h >> 28) % 8 <> 0
        THEN categories[1 + ((h >> 32) % len(categories))] END AS category,
    [] AS tags,
    false AS is_archived,
    acus_consumed,
    CASE
        WHEN k < 2 OR (h >> 36) % 3 = 0 THEN []
        ELSE [{
            'pr_url': 'https://github.com/acme/repo/pull/' || s,
            'pr_state': CASE WHEN k = $versions - 1 THEN 'merged' ELSE 'open' END
        }]
    END AS pull_requests,
    created_at,
    updated_at,
    CAST(timezone('UTC', updated_at) AS DATE) AS snapshot_date,
    updated_at + INTERVAL 1 HOUR AS fetched_at,
    json_object(
        'session_id', session_id, 'org_id', org_id, 'user_id', user_id,
        'status', status, 'category', category, 'acus_consumed', acus_consumed,
        'pull_requests', pull_requests, 'created_at', epoch(created_at)::BIGINT,
        'updated_at', epoch(updated_at)::BIGINT
    ) AS raw
FROM versions
-- Day by day, as the pipeline's writer stores them (one merge per day), so that DuckDB's zone
-- maps on snapshot_date work as they do on a real warehouse.
ORDER BY snapshot_date, updated_at
"""


def write_synthetic_snapshots(conn: duckdb.DuckDBPyConnection, rows: int, seed: int) -> None:
    """Appends `rows` observed versions (`rows // 5` sessions) to `devin.session_snapshots`.

    Session ids are `devin-<n>` whatever the seed, so two calls with the same rows overlap.
    """
    conn.execute(
        _INSERT,
        {
            "rows": rows,
            "seed": seed,
            "versions": VERSIONS_PER_SESSION,
            "orgs": ORGS,
            "categories": list(CATEGORIES),
        },
    )
