"""Usage dashboard build time and size at scale: `python -m benchmarks.dashboard --rows 1000000`.

Synthetic snapshots (benchmarks/synthetic_snapshots.py: a year of 2025, 5,000 people, 50 orgs,
five versions per session) fill a fresh DuckDB file; the sessions and daily metrics are rebuilt
as the assets do, plus enterprise active users per day/week/month and seats computed here as
the contract defines them, so the page holds a full year of every panel that has data. Then the
page is built for the whole year (and for its last 30 days), timed, and its size printed.

The baseline, measured in the same process right before: one plain read of the per-org daily
metrics (every row fetched once into Python), the floor of any page drawn from them.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from benchmarks.synthetic_snapshots import write_synthetic_snapshots
from devin_pipeline.dashboard.build import build_dashboard
from devin_pipeline.dashboard.page import vega_bundle
from devin_pipeline.dashboard.panels import Window
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.metrics_store import refresh_daily_metrics
from devin_pipeline.warehouse.session_store import refresh_sessions

TARGET_BYTES = 2_000_000  # a year of a 5,000-person enterprise (issue 18)
YEAR = Window(date(2025, 1, 1), date(2025, 12, 31))
MONTH = Window(date(2025, 12, 2), date(2025, 12, 31))

# The adoption tables the dashboard reads, as the contract defines them (enterprise scope).
ADOPTION = """
CREATE OR REPLACE TABLE devin.active_user_metrics AS
WITH periods AS (
    SELECT 'day' AS period, snapshot_date AS period_start, snapshot_date + 1 AS period_end,
           user_id FROM devin.session_snapshots
    UNION ALL SELECT 'week', date_trunc('week', snapshot_date)::DATE,
           date_trunc('week', snapshot_date)::DATE + 7, user_id FROM devin.session_snapshots
    UNION ALL SELECT 'month', date_trunc('month', snapshot_date)::DATE,
           (date_trunc('month', snapshot_date) + INTERVAL 1 MONTH)::DATE, user_id
    FROM devin.session_snapshots
)
SELECT period, period_start, period_end, 'enterprise' AS scope, '' AS scope_id,
       NULL::VARCHAR AS org_name, count(DISTINCT user_id) AS active_users,
       count(DISTINCT user_id) AS creating_users, true AS is_complete
FROM periods GROUP BY ALL;
CREATE OR REPLACE TABLE devin.seat_usage AS
SELECT 'user-' || i AS user_id, NULL::VARCHAR AS user_name, true AS is_listed,
       DATE '2025-12-31' AS as_of_date, max(s.snapshot_date) AS last_active_date,
       count(DISTINCT s.session_id) AS sessions_90d,
       CASE WHEN max(s.snapshot_date) > DATE '2025-12-01' THEN 'active'
            WHEN max(s.snapshot_date) IS NOT NULL THEN 'idle' ELSE 'never_used' END AS status
FROM range(5500) AS t(i)
LEFT JOIN devin.session_snapshots AS s ON s.user_id = 'user-' || i
GROUP BY i;
"""


def fill(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as conn:
        prepare(conn)
        write_synthetic_snapshots(conn, rows, seed=1)
        refresh_sessions(conn)
        refresh_daily_metrics(conn)
        for statement in ADOPTION.split(";"):
            if statement.strip():
                conn.execute(statement)


def measure(path: Path, window: Window, out: Path) -> tuple[float, float, int]:
    """Baseline seconds, build seconds and page bytes for one window."""
    with duckdb.connect(str(path), read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        started = time.perf_counter()
        conn.execute("SELECT * FROM devin.org_daily_metrics").fetchall()
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        dashboard = build_dashboard(conn, "devin", out, Settings(), window)
        return baseline, time.perf_counter() - started, dashboard.size_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    args = parser.parse_args()
    vega_bundle()  # once per process, like a long-lived code server: not part of a build
    print("\n### Usage dashboard build (page + SVG charts)")
    print("| snapshot rows | range | baseline s | build s | build / baseline | page bytes | load |")
    print("|---|---|---|---|---|---|---|")
    for rows in args.rows:
        with tempfile.TemporaryDirectory(prefix="devin-dashboard-bench-") as tmp:
            path = Path(tmp) / "bench.duckdb"
            fill(path, rows)
            for name, window in (("year", YEAR), ("30 days", MONTH)):
                baseline, build, size = measure(path, window, Path(tmp) / f"{name}.html")
                print(
                    f"| {rows:,} | {name} | {baseline:.3f} | {build:.2f} "
                    f"| {build / baseline:.0f} | {size:,} | {os.getloadavg()[0]:.1f} |",
                    flush=True,
                )
    print(f"\nTarget: a year's page under {TARGET_BYTES:,} bytes.")


if __name__ == "__main__":
    main()
