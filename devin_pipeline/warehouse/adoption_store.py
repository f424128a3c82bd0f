"""Recomputes the adoption tables (`active_user_metrics`, `seat_usage`) from the snapshots.

Each is a pure function of the tables it reads, replaced whole in one transaction, so a
reader sees the old table or the new one. Definitions: CONTRACT.md, "Adoption, money and
outcomes".
"""

from __future__ import annotations

from datetime import date

import duckdb

from devin_pipeline.warehouse.change_log import CREATED_IN_RANGE, Refresh, fingerprint, refreshing
from devin_pipeline.warehouse.connection import count_rows, transaction
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

ACTIVE_USER_SQL = (
    "create_active_user_metrics_table",
    "insert_active_user_metrics",
    "create_refresh_periods",
    "select_refresh_period_days",
    "delete_refresh_periods",
    "update_active_user_labels",
)


def refresh_active_user_metrics(
    conn: duckdb.DuckDBPyConnection,
    complete_through: date | None,
    schema: str = DEFAULT_SCHEMA,
    incremental: bool = True,
) -> int:
    """Brings `active_user_metrics` up to date; a period is complete when its last day is on
    or before `complete_through` (the latest materialized snapshot partition; None: none is).

    Incrementally, only the day, week and month of each day the changed sessions touch are
    recounted, and those that entered or left the snapshots' first-to-last-day range.
    """
    through = {"complete_through": complete_through}
    with refreshing(
        conn, schema, "active_user_metrics",
        sources=["sessions"], tables=["active_user_metrics"],
        fingerprint=fingerprint(*ACTIVE_USER_SQL), incremental=incremental,
    ) as refresh:  # fmt: skip
        if refresh.full:
            conn.execute(load_sql("create_active_user_metrics_table", schema))
            scopes = {"version_scope": "true", "created_scope": "true", "period_join": ""}
            params: dict[str, object] = {}
        else:
            _collect_refresh_periods(conn, schema, refresh)
            cursor = conn.execute(load_sql("select_refresh_period_days", schema))
            [row] = cursor.fetchall()
            params = dict(zip([column[0] for column in cursor.description], row, strict=True))
            scopes = {
                "version_scope": "metric_date BETWEEN $first_day AND $last_day",
                "created_scope": CREATED_IN_RANGE,
                "period_join": PERIODS,
            }
            conn.execute(load_sql("delete_refresh_periods", schema))
        sql = load_sql("insert_active_user_metrics", schema, **scopes)
        conn.execute(sql, {**through, **params})
        conn.execute(load_sql("update_active_user_labels", schema), through)
    return count_rows(conn, f"{schema}.active_user_metrics")


PERIODS = "SEMI JOIN refresh_periods USING (period, period_start)"


def _collect_refresh_periods(
    conn: duckdb.DuckDBPyConnection, schema: str, refresh: Refresh
) -> None:
    """refresh_periods: those of the days `sessions` logged, and of the days between the old
    and the new first (and last) snapshot day: periods bounded by them enter or leave."""
    conn.execute(load_sql("create_refresh_days", schema), {"source": "sessions"})
    for old, new in zip(refresh.days_before, refresh.days_now, strict=True):
        if old != new and old is not None and new is not None:
            conn.execute(
                load_sql("insert_refresh_day_range", schema),
                {"first": min(old, new), "last": max(old, new)},
            )
    conn.execute(load_sql("create_refresh_periods", schema))


def rebuild_seat_usage(
    conn: duckdb.DuckDBPyConnection, idle_days: int, schema: str = DEFAULT_SCHEMA
) -> int:
    """Replaces `seat_usage`; a person is `active` with a version in the last `idle_days`.

    Rebuilt whole every time, since its windows move with the data, but from the last 90 days
    of `version_acus` and two narrow columns of the rest, not from every version's window.
    """
    with transaction(conn):
        row = conn.execute(load_sql("select_as_of_date", schema)).fetchone()
        params = {"idle_days": idle_days, "as_of": row[0] if row else None}
        conn.execute(load_sql("replace_seat_usage", schema), params)
    return count_rows(conn, f"{schema}.seat_usage")


def seat_status_counts(conn: duckdb.DuckDBPyConnection, schema: str) -> dict[str, int]:
    """Listed seats per status (active, idle, never_used): what one pays for today."""
    rows = conn.execute(
        f"SELECT status, count(*) FROM {schema}.seat_usage WHERE is_listed GROUP BY status"
    ).fetchall()
    return {str(status): int(count) for status, count in rows}
