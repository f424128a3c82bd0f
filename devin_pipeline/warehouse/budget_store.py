"""Writes `billing_cycles` and derives `org_budget_status` from the cycles and the billed days.

Cycles come from the latest listing, else (source off, refused, never listed) from UTC
calendar months starting at 08:00 UTC on the 1st; a listing that lacks the running cycle is
continued month by month, so the latest billing days always fall in a cycle.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from devin_pipeline.partitions import BILLING_DAY_START_HOUR
from devin_pipeline.warehouse.connection import count_rows, registered, transaction
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

_CYCLES = pa.schema([("cycle_start", pa.timestamp("us", tz="UTC")),
                     ("cycle_end", pa.timestamp("us", tz="UTC"))])  # fmt: skip
Cycle = tuple[datetime, datetime]


@dataclass(frozen=True)
class BudgetCycles:
    """The cycles the budget is computed over, and where they came from (for metadata)."""

    cycles: list[Cycle]
    source: str  # "listed" or "calendar_months"
    inferred: int  # cycles added after the listed ones


def write_cycles(
    conn: duckdb.DuckDBPyConnection,
    items: list[dict[str, Any]],
    fetched_at: datetime,
    schema: str = DEFAULT_SCHEMA,
) -> int:
    """Replaces `<schema>.billing_cycles` with one listing's items, in one transaction."""
    conn.execute(load_sql("create_billing_cycles_table", schema))
    rows = [{"cycle_start": _instant(i["after"]), "cycle_end": _instant(i["before"])}
            for i in items]  # fmt: skip
    with registered(conn, "cycle_rows", rows, _CYCLES), transaction(conn):
        conn.execute(load_sql("delete_billing_cycles", schema))
        conn.execute(load_sql("insert_billing_cycles", schema), {"fetched_at": fetched_at})
    return count_rows(conn, f"{schema}.billing_cycles")


def budget_cycles(
    conn: duckdb.DuckDBPyConnection, use_listing: bool, schema: str = DEFAULT_SCHEMA
) -> BudgetCycles:
    """The listed cycles continued to the latest billing day, else calendar months."""
    conn.execute(load_sql("create_billing_cycles_table", schema))
    [(first, last)] = conn.execute(load_sql("select_billing_day_range", schema)).fetchall()
    listed = conn.execute(load_sql("select_billing_cycles", schema)).fetchall()
    listed = listed if use_listing else []
    if first is None:
        return BudgetCycles([(a, b) for a, b in listed], "listed" if listed else "none", 0)
    if not listed:
        return BudgetCycles(calendar_months(first, last), "calendar_months", 0)
    cycles = [(a, b) for a, b in listed]
    inferred = 0
    while cycles[-1][1] <= _day_start(last):
        start = cycles[-1][1]
        cycles.append((start, add_month(start)))
        inferred += 1
    return BudgetCycles(cycles, "listed", inferred)


def rebuild_budget(
    conn: duckdb.DuckDBPyConnection,
    cycles: list[Cycle],
    price: float | None,
    currency: str,
    schema: str = DEFAULT_SCHEMA,
) -> int:
    """Replaces `<schema>.org_budget_status` (one transaction); returns its rows."""
    rows = [{"cycle_start": a, "cycle_end": b} for a, b in cycles]
    with registered(conn, "budget_cycles", rows, _CYCLES), transaction(conn):
        sql = load_sql("replace_org_budget_status", schema)
        conn.execute(sql, {"price": price, "currency": currency})
    return count_rows(conn, f"{schema}.org_budget_status")


def calendar_months(first: date, last: date) -> list[Cycle]:
    """UTC calendar months from 08:00 UTC on the 1st, covering billing days first..last."""
    start = datetime(first.year, first.month, 1, BILLING_DAY_START_HOUR, tzinfo=UTC)
    months = [(start, add_month(start))]
    while months[-1][1] <= _day_start(last):
        months.append((months[-1][1], add_month(months[-1][1])))
    return months


def add_month(moment: datetime) -> datetime:
    """The same day and time a month later (the month's last day where it is shorter)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _day_start(day: date) -> datetime:
    """When billing day `day` starts."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        hours=BILLING_DAY_START_HOUR
    )


def _instant(epoch_seconds: int) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, UTC)
