"""One process of the metrics benchmark: fill a DuckDB file, or time the recompute on it.

`--generate N` appends N synthetic snapshot rows (benchmarks/synthetic_snapshots.py); without
it, the three downstream tables are rebuilt once, as the metrics assets do, and one JSON line
reports the seconds of each step. `--profile` adds DuckDB's operator timings of the two big
statements, slowest first.
"""

from __future__ import annotations

import argparse
import json
import time

import duckdb

from benchmarks.synthetic_snapshots import write_synthetic_snapshots
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.metrics_store import rebuild_daily_metrics, rebuild_sessions
from devin_pipeline.warehouse.sql_files import load_sql


def recompute(conn: duckdb.DuckDBPyConnection) -> dict[str, object]:
    started = time.perf_counter()
    sessions = rebuild_sessions(conn)
    sessions_seconds = time.perf_counter() - started
    tables = rebuild_daily_metrics(conn)
    seconds = time.perf_counter() - started
    return {
        "sessions_seconds": round(sessions_seconds, 2),
        "metrics_seconds": round(seconds - sessions_seconds, 2),
        "seconds": seconds,
        "sessions": sessions,
        "metric_rows": sum(tables.values()),
    }


def operator_timings(conn: duckdb.DuckDBPyConnection, sql: str, top: int = 8) -> list[str]:
    """The slowest operators of one statement, from EXPLAIN ANALYZE's JSON profile."""
    conn.execute("PRAGMA enable_profiling = 'json'")
    profile = json.loads(conn.execute("EXPLAIN ANALYZE " + sql).fetchall()[-1][-1])
    conn.execute("PRAGMA disable_profiling")
    found: list[tuple[float, str]] = []
    nodes = list(profile.get("operator", []))
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("children", []))
        timing = float(node.get("timing") or 0.0)
        rows = node.get("intermediate_rows")
        found.append((timing, f"{timing:6.2f}s  {node.get('name')}  rows={rows}"))
    return [line for _, line in sorted(found, reverse=True)[:top]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--generate", type=int, help="Append this many snapshot rows, then stop.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    conn = prepare(duckdb.connect(args.db))
    if args.generate:
        write_synthetic_snapshots(conn, args.generate, args.seed)
        conn.close()
        return
    report = recompute(conn)
    if args.profile:
        report["profile_sessions"] = operator_timings(conn, load_sql("replace_sessions"))
        report["profile_metrics"] = operator_timings(conn, load_sql("create_daily_group_metrics"))
    conn.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
