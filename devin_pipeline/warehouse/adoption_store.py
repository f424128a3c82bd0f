"""Recomputes the adoption tables (`active_user_metrics`, `seat_usage`) from the snapshots.

Each is a pure function of the tables it reads, replaced whole in one transaction, so a
reader sees the old table or the new one. Definitions: CONTRACT.md, "Adoption, money and
outcomes".
"""

from __future__ import annotations

from datetime import date

import duckdb

from devin_pipeline.warehouse.connection import count_rows, transaction
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql


def rebuild_active_user_metrics(
    conn: duckdb.DuckDBPyConnection, complete_through: date | None, schema: str = DEFAULT_SCHEMA
) -> int:
    """Replaces `active_user_metrics`; a period is complete when its last day is on or before
    `complete_through` (the latest materialized snapshot partition; None: none is)."""
    with transaction(conn):
        sql = load_sql("replace_active_user_metrics", schema)
        conn.execute(sql, {"complete_through": complete_through})
    return count_rows(conn, f"{schema}.active_user_metrics")


def rebuild_seat_usage(
    conn: duckdb.DuckDBPyConnection, idle_days: int, schema: str = DEFAULT_SCHEMA
) -> int:
    """Replaces `seat_usage`; a person is `active` with a version in the last `idle_days`."""
    with transaction(conn):
        conn.execute(load_sql("replace_seat_usage", schema), {"idle_days": idle_days})
    return count_rows(conn, f"{schema}.seat_usage")


def seat_status_counts(conn: duckdb.DuckDBPyConnection, schema: str) -> dict[str, int]:
    """Listed seats per status (active, idle, never_used): what one pays for today."""
    rows = conn.execute(
        f"SELECT status, count(*) FROM {schema}.seat_usage WHERE is_listed GROUP BY status"
    ).fetchall()
    return {str(status): int(count) for status, count in rows}
