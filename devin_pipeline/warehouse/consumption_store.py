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

from devin_pipeline.warehouse.change_log import (
    delete_refresh_days,
    fingerprint,
    log_days,
    refreshing,
)
from devin_pipeline.warehouse.connection import count_rows, registered, transaction
from devin_pipeline.warehouse.metrics_store import update_names
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

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
    schema: str = DEFAULT_SCHEMA,
) -> int:
    """Replaces billing days `days` (first, last) of `scopes` with `rows`; returns the rows."""
    unique = {(r["billing_date"], r["scope"], r["scope_id"], r["product"]): r for r in rows}
    first, last = days
    with registered(conn, "consumption_rows", list(unique.values()), _ROWS), transaction(conn):
        conn.execute(
            load_sql("delete_consumption_days", schema),
            {"first": first, "last": last, "scopes": list(scopes)},
        )
        conn.execute(load_sql("insert_consumption_rows", schema), {"fetched_at": fetched_at})
        log_days(conn, schema, "acu_consumption", first, last)
    return len(unique)


RECONCILIATION_SQL = (
    "create_acu_reconciliation_table",
    "insert_acu_reconciliation",
    "create_refresh_billing_days",
    "select_refresh_billing_day_range",
    "update_names",
)
# The billing days of refresh_days, and the UTC days of their versions (B and B + 1).
REFRESH_BILLING_DAYS = "billing_date IN (SELECT day FROM refresh_days)"
REFRESH_VERSION_DAYS = "metric_date BETWEEN $first_day AND $last_day"


def refresh_reconciliation(
    conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA, incremental: bool = True
) -> int:
    """Brings `<schema>.acu_reconciliation` up to date (one transaction); returns its rows.

    Incrementally, only the billing days the changed sessions or consumption touch.
    """
    table = f"{schema}.acu_reconciliation"
    with refreshing(
        conn, schema, "acu_reconciliation",
        sources=["sessions", "acu_consumption"], tables=["acu_reconciliation"],
        fingerprint=fingerprint(*RECONCILIATION_SQL), incremental=incremental,
    ) as refresh:  # fmt: skip
        if refresh.full:
            conn.execute(load_sql("create_acu_reconciliation_table", schema))
            scopes, params = {"day_scope": "true", "version_scope": "true"}, {}
        else:
            conn.execute(load_sql("create_refresh_billing_days", schema))
            row = conn.execute(load_sql("select_refresh_billing_day_range", schema)).fetchone()
            params = {"first_day": row[0], "last_day": row[1]} if row else {}
            scopes = {"day_scope": REFRESH_BILLING_DAYS, "version_scope": REFRESH_VERSION_DAYS}
            conn.execute(delete_refresh_days(table, "billing_date", schema))
        conn.execute(load_sql("insert_acu_reconciliation", schema, **scopes), params)
        conn.execute(update_names(table, "org_id", "organizations", schema))
    return count_rows(conn, table)


def billed_by_product(
    conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA
) -> dict[str, float]:
    """Enterprise-wide billed ACUs per product ('all' included) over the days held."""
    rows = conn.execute(load_sql("select_consumption_totals", schema)).fetchall()
    return {str(product): float(acus) for product, acus in rows}


def session_derived_acus(conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA) -> float:
    """The session side of the reconciliation, summed over every row."""
    row = conn.execute(
        f"SELECT coalesce(sum(session_acus), 0) FROM {schema}.acu_reconciliation"
    ).fetchone()
    return float(row[0]) if row else 0.0


def consumption_scope_ids(
    conn: duckdb.DuckDBPyConnection, with_users: bool, schema: str = DEFAULT_SCHEMA
) -> tuple[list[str], list[str]]:
    """Every org the warehouse knows (listed or named by sessions) and every listed person."""
    orgs = conn.execute(f"SELECT org_id FROM {schema}.organizations ORDER BY org_id").fetchall()
    if not with_users:
        return [o for (o,) in orgs], []
    people = conn.execute(
        f"SELECT user_id FROM {schema}.users WHERE kind = 'user' AND is_listed ORDER BY user_id"
    ).fetchall()
    return [o for (o,) in orgs], [u for (u,) in people]
