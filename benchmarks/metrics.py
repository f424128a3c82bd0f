"""Metrics recompute at scale: `python -m benchmarks.metrics --rows 1000000 10000000`.

For each size, synthetic snapshot rows are written straight to a fresh DuckDB file (five
versions per session), then `devin.sessions`, `devin.org_daily_metrics` and
`devin.category_daily_metrics` are rebuilt once in a separate process, as the metrics assets
do, timed and with its peak RSS. `--profile` prints DuckDB's slowest operators too.

Each table's wall and CPU seconds are printed, and the ratio of the whole recompute to a floor
measured in the same process right after it: one plain copy of the snapshots table (every row
and column read and written once). CPU seconds hold up on a shared box, wall seconds do not:
the load average is printed with each row.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.harness import run_measured

TARGET_SECONDS = 20.0  # at 10M rows (issue 5)


def measure(rows: int, profile: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="devin-metrics-bench-") as tmp:
        db = str(Path(tmp) / "metrics.duckdb")
        run = [sys.executable, "-m", "benchmarks.metrics_run", "--db", db]
        run_measured([*run, "--generate", str(rows)])
        measured = run_measured([*run, *(["--profile"] if profile else [])])
    report = json.loads(measured.stdout.strip().splitlines()[-1])
    report.update(rows=rows, rss=measured.peak_rss_mb)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--profile", action="store_true", help="Show DuckDB's slowest operators.")
    args = parser.parse_args()
    print("\n### Metrics recompute (sessions + org and category daily metrics)")
    print(
        "| snapshot rows | sessions | metric rows | sessions wall / CPU s "
        "| metrics wall / CPU s | total wall / CPU s | copy floor wall / CPU s "
        "| total / floor (wall, CPU) | RSS MB | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for rows in args.rows:
        r = measure(rows, args.profile)
        wall, cpu = float(r["seconds"]), float(r["cpu"])
        copy_wall, copy_cpu = float(r["copy_seconds"]), float(r["copy_cpu"])
        print(
            f"| {rows:,} | {r['sessions']:,} | {r['metric_rows']:,} "
            f"| {r['sessions_seconds']} / {r['sessions_cpu']} "
            f"| {r['metrics_seconds']} / {r['metrics_cpu']} | {wall:.2f} / {cpu:.2f} "
            f"| {copy_wall} / {copy_cpu} | {wall / copy_wall:.2f}, {cpu / copy_cpu:.2f} "
            f"| {r['rss']:.0f} | {os.getloadavg()[0]:.1f} |",
            flush=True,
        )
        for key in ("profile_sessions", "profile_metrics"):
            for line in r.get(key, []):
                print(f"    {key.removeprefix('profile_')}: {line}")
    print(f"\nTarget: under {TARGET_SECONDS:g} s at 10,000,000 rows.")


if __name__ == "__main__":
    main()
