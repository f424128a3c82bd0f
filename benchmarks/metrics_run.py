"""One process of the metrics benchmark: fill a DuckDB file, or time the recompute on it.

`--generate N` appends N synthetic snapshot rows (benchmarks/synthetic_snapshots.py); without
it, the three downstream tables are rebuilt once, as the metrics assets do, and one JSON line
reports the wall and CPU seconds of each step. CPU is this process's (`time.process_time()`,
all of DuckDB's threads): the box is shared, so wall depends on who else runs, CPU much less.
The same line reports a floor measured right after: a plain copy of the snapshots table
(`CREATE TABLE AS SELECT *`), which reads and writes every row and column once.
`--profile` adds DuckDB's operator timings of the two big statements, slowest first.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import TypeVar

import duckdb

from benchmarks.synthetic_snapshots import write_synthetic_snapshots
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.metrics_store import refresh_daily_metrics
from devin_pipeline.warehouse.session_store import refresh_sessions
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

T = TypeVar("T")


def timed(step: Callable[[], T]) -> tuple[T, float, float]:
    """The step's result, wall seconds and CPU seconds (all threads of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def recompute(conn: duckdb.DuckDBPyConnection) -> dict[str, object]:
    sessions, sessions_wall, sessions_cpu = timed(lambda: refresh_sessions(conn))
    tables, metrics_wall, metrics_cpu = timed(lambda: refresh_daily_metrics(conn))
    return {
        "sessions_seconds": round(sessions_wall, 2),
        "sessions_cpu": round(sessions_cpu, 2),
        "metrics_seconds": round(metrics_wall, 2),
        "metrics_cpu": round(metrics_cpu, 2),
        "seconds": sessions_wall + metrics_wall,
        "cpu": sessions_cpu + metrics_cpu,
        "sessions": sessions,
        "metric_rows": sum(tables.values()),
    }


def copy_floor(conn: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Wall and CPU seconds of copying the snapshots table once, committed like a rebuild."""

    def copy() -> None:
        conn.execute("CREATE TABLE devin.snapshots_copy AS SELECT * FROM devin.session_snapshots")

    _, wall, cpu = timed(copy)
    conn.execute("DROP TABLE devin.snapshots_copy")
    return {"copy_seconds": round(wall, 2), "copy_cpu": round(cpu, 2)}


def operator_timings(conn: duckdb.DuckDBPyConnection, sql: str, top: int = 8) -> list[str]:
    """The slowest operators of one statement, from EXPLAIN ANALYZE's JSON profile.

    EXPLAIN ANALYZE runs the statement: its writes are rolled back.
    """
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute("PRAGMA enable_profiling = 'json'")
        profile = json.loads(conn.execute("EXPLAIN ANALYZE " + sql).fetchall()[-1][-1])
        conn.execute("PRAGMA disable_profiling")
    finally:
        conn.execute("ROLLBACK")
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
    report: dict[str, object] = {**recompute(conn), **copy_floor(conn)}
    if args.profile:
        report["profile_sessions"] = operator_timings(
            conn, load_sql("insert_latest_versions", DEFAULT_SCHEMA)
        )
        report["profile_metrics"] = operator_timings(
            conn, load_sql("create_daily_group_metrics", DEFAULT_SCHEMA)
        )
    conn.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
