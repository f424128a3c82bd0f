"""Writes `reported_metrics` partitions and derives `metrics_crosscheck` from them.

A run replaces the rows of the partitions it read in one transaction, so a failed run leaves
them as they were. The cross-check is a pure function of the tables it reads.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from devin_pipeline.warehouse.connection import count_rows, registered, transaction
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

_ROWS = pa.schema(
    [
        ("period", pa.string()),
        ("period_start", pa.date32()),
        ("metric", pa.string()),
        ("dimension", pa.string()),
        ("value", pa.float64()),
    ]
)


def write_reported_metrics(
    conn: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    days: tuple[date, date],
    fetched_at: datetime,
    schema: str = DEFAULT_SCHEMA,
) -> int:
    """Replaces the partitions days[0]..days[1] with `rows` (period, period_start, metric,
    dimension, value); returns the rows written."""
    first, last = days
    with registered(conn, "reported_rows", rows, _ROWS), transaction(conn):
        conn.execute(
            load_sql("delete_reported_metrics_partitions", schema), {"first": first, "last": last}
        )
        conn.execute(load_sql("insert_reported_metrics", schema), {"fetched_at": fetched_at})
    return len(rows)


def rebuild_crosscheck(conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA) -> int:
    """Replaces `metrics_crosscheck` in one transaction; returns its rows."""
    with transaction(conn):
        conn.execute(load_sql("replace_metrics_crosscheck", schema))
    return count_rows(conn, f"{schema}.metrics_crosscheck")


def crosscheck_summary(conn: duckdb.DuckDBPyConnection, schema: str) -> list[tuple[Any, ...]]:
    """Per metric and known reason: periods, those that differ, and the summed difference."""
    return conn.execute(load_sql("select_crosscheck_summary", schema)).fetchall()
