"""Writes billing days of `devin.acu_consumption` and derives `devin.acu_reconciliation`.

A run's billing days are replaced, for the scopes it read, in one transaction: the API
revises recent days (an aggregate, not a version history), and a failed run leaves them as
they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from devin_pipeline.warehouse.connection import transaction
from devin_pipeline.warehouse.sql_files import load_sql

_ROWS = pa.schema(
    [
        ("billing_date", pa.date32()),
        ("scope", pa.string()),
        ("scope_id", pa.string()),
        ("product", pa.string()),
        ("acus", pa.float64()),
    ]
)


def write_consumption(
    conn: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    days: tuple[date, date],
    scopes: Sequence[str],
    fetched_at: datetime,
) -> int:
    """Replaces billing days `days` (first, last) of `scopes` with `rows`; returns the rows."""
    unique = {(r["billing_date"], r["scope"], r["scope_id"], r["product"]): r for r in rows}
    conn.register("consumption_rows", pa.Table.from_pylist(list(unique.values()), schema=_ROWS))
    first, last = days
    try:
        with transaction(conn):
            conn.execute(
                load_sql("delete_consumption_days"),
                {"first": first, "last": last, "scopes": list(scopes)},
            )
            conn.execute(load_sql("insert_consumption_rows"), {"fetched_at": fetched_at})
    finally:
        conn.unregister("consumption_rows")
    return len(unique)


def rebuild_reconciliation(conn: duckdb.DuckDBPyConnection) -> int:
    """Replaces `devin.acu_reconciliation` (one transaction); returns its rows."""
    with transaction(conn):
        conn.execute(load_sql("replace_acu_reconciliation"))
    row = conn.execute("SELECT count(*) FROM devin.acu_reconciliation").fetchone()
    return int(row[0]) if row else 0


def billed_by_product(conn: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Enterprise-wide billed ACUs per product ('all' included) over the days held."""
    return {
        str(p): float(a) for p, a in conn.execute(load_sql("select_consumption_totals")).fetchall()
    }
