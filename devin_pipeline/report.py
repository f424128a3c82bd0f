"""Daily metrics per org, category, user or origin for a date range, read from the DuckDB file.

Shared by `devin-pipeline report` and the demo's closing tables.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

REPORTS = {
    "org": "select_org_daily_metrics",
    "category": "select_category_daily_metrics",
    "user": "select_user_daily_metrics",
    "origin": "select_origin_daily_metrics",
}
DEFAULT_KINDS = ("org", "category")
METRICS = (
    "sessions_created",
    "sessions_updated",
    "active_users",
    "acus_consumed",
    "prs_opened",
    "prs_merged",
)
NUMERIC_SUFFIXES = (
    "acus",
    "_pr",
    "_share",
    "_rate",
    "cost",
    "_limit",
    "_days",
    "_created",
    "merged",
    "_7d",
    "_30d",
    "_90d",
    "users",
)
# The descriptive columns beside a report's group, in CSV order; empty where a kind has none.
CSV_LABELS = {"org_name": "group_name", "user_name": "group_name", "user_kind": "user_kind"}
# What a NULL name means, as a terminal table says it (an org no listing held, a person whose
# name is unknown or not stored).
NULL_NAMES = {"org_name": "(not listed)", "user_name": "(no name)"}


@dataclass(frozen=True)
class MetricsReport:
    """One report's kind, title, column names and rows."""

    kind: str
    title: str
    columns: list[str]
    rows: list[tuple[Any, ...]]


def read_reports(
    database: str,
    start: date,
    end: date,
    kinds: Sequence[str] = DEFAULT_KINDS,
    schema: str = DEFAULT_SCHEMA,
) -> list[MetricsReport]:
    """The reports of `kinds` for [start, end] from `schema`, over a read-only connection."""
    with _read_only(database) as conn:
        return [_read(conn, kind, start, end, schema) for kind in kinds]


def read_top_users(
    database: str, start: date, end: date, limit: int = 10, schema: str = DEFAULT_SCHEMA
) -> MetricsReport:
    """The users who spent the most ACUs over [start, end], with their names."""
    with _read_only(database) as conn:
        params = {"start": start, "end": end, "limit": limit}
        cursor = conn.execute(load_sql("select_top_users", schema), params)
        columns = [d[0] for d in cursor.description]
        title = f"Top {limit} users by ACUs, {start} .. {end}"
        return MetricsReport("top_users", title, columns, cursor.fetchall())


def read_billing(
    database: str, start: date, end: date, schema: str = DEFAULT_SCHEMA
) -> MetricsReport:
    """Billed vs session-derived ACUs per org over billing days [start, end]."""
    with _read_only(database) as conn:
        params = {"start": start, "end": end}
        cursor = conn.execute(load_sql("select_billing_report", schema), params)
        columns = [d[0] for d in cursor.description]
        title = f"Billed vs session-derived ACUs per org, billing days {start} .. {end}"
        return MetricsReport("billing", title, columns, cursor.fetchall())


# -- money and outcomes -----------------------------------------------------------------


def read_budget(database: str, schema: str = DEFAULT_SCHEMA) -> MetricsReport:
    """The current billing cycle's budget: billed, forecast, cap and cost per org."""
    with _read_only(database) as conn:
        cursor = conn.execute(load_sql("select_budget_report", schema))
        columns, rows = [d[0] for d in cursor.description], cursor.fetchall()
    first = dict(zip(columns, rows[0], strict=True)) if rows else {}
    cycle = (
        f"{first['cycle_start']} .. {first['cycle_end']}, {first['billed_days']} of "
        f"{first['cycle_days']} billing days held, {first['currency']}"
        if first
        else "none held"
    )
    return MetricsReport("budget", f"Budget of the current billing cycle ({cycle})", columns, rows)


def read_outcomes(
    database: str,
    start: date,
    end: date,
    dimension: str | None = None,
    schema: str = DEFAULT_SCHEMA,
) -> MetricsReport:
    """Outcome cohorts (sessions, merged PRs, ACUs and cost per merged PR) of the months
    overlapping [start, end], of one dimension or all."""
    with _read_only(database) as conn:
        params = {"start": start, "end": end, "dimension": dimension}
        cursor = conn.execute(load_sql("select_outcome_report", schema), params)
        columns, rows = [d[0] for d in cursor.description], cursor.fetchall()
    scope = f"by {dimension}" if dimension else "by every dimension"
    return MetricsReport("outcome", f"Outcomes per created month {scope}", columns, rows)


def narrowed(report: MetricsReport, columns: Sequence[str]) -> MetricsReport:
    """The same report with only `columns` (the demo's tables must fit a terminal)."""
    keep = [report.columns.index(c) for c in columns]
    rows = [tuple(row[k] for k in keep) for row in report.rows]
    return MetricsReport(report.kind, report.title, list(columns), rows)


# -- adoption ---------------------------------------------------------------------------
ADOPTION_REPORTS = ("active-users", "seats")


def read_active_users(
    database: str, start: date, end: date, period: str | None = None, schema: str = DEFAULT_SCHEMA
) -> MetricsReport:
    """Enterprise-wide distinct users per day, week (Monday) and month overlapping [start, end]."""
    with _read_only(database) as conn:
        params = {"start": start, "end": end, "period": period}
        cursor = conn.execute(load_sql("select_active_users_report", schema), params)
        columns = [d[0] for d in cursor.description]
        which = f"per {period}" if period else "per day, week and month"
        title = f"Active users {which} (enterprise), {start} .. {end}"
        return MetricsReport("active-users", title, columns, cursor.fetchall())


def read_seats(
    database: str, status: str | None = None, schema: str = DEFAULT_SCHEMA
) -> MetricsReport:
    """The listed seats and their use, idle and never-used ones first."""
    with _read_only(database) as conn:
        cursor = conn.execute(load_sql("select_seats_report", schema), {"status": status})
        columns = [d[0] for d in cursor.description]
        title = f"Seats ({status or 'all'}), listed people, as of the freshest snapshot"
        return MetricsReport("seats", title, columns, cursor.fetchall())


def read_crosscheck_summary(database: str, schema: str = DEFAULT_SCHEMA) -> MetricsReport:
    """Devin's figures beside the sessions', per metric and known reason."""
    with _read_only(database) as conn:
        cursor = conn.execute(load_sql("select_crosscheck_summary", schema))
        columns = [d[0] for d in cursor.description]
        title = "Devin's own metrics vs the sessions (derived - reported), by known reason"
        return MetricsReport("crosscheck", title, columns, cursor.fetchall())


def print_adoption(console: Console, database: str, start: date, end: date) -> None:
    """The demo's adoption tables: WAU by week, idle and never-used seats, the cross-check."""
    render_tables([read_active_users(database, start, end, "week")], console)
    seats = read_seats(database)
    unused = [row for row in seats.rows if row[seats.columns.index("status")] != "active"]
    render_tables([MetricsReport("seats", "Idle and never-used seats", seats.columns, unused)],
                  console)  # fmt: skip
    render_tables([read_crosscheck_summary(database)], console)


def _read_only(database: str) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(database, read_only=True)
    conn.execute("SET TimeZone = 'UTC'")
    return conn


def _read(
    conn: duckdb.DuckDBPyConnection, kind: str, start: date, end: date, schema: str
) -> MetricsReport:
    cursor = conn.execute(load_sql(REPORTS[kind], schema), {"start": start, "end": end})
    columns = [d[0] for d in cursor.description]
    title = f"Per-{kind} daily metrics, {start} .. {end}"
    return MetricsReport(kind, title, columns, cursor.fetchall())


def render_tables(reports: Sequence[MetricsReport], console: Console) -> None:
    """Prints each report as a terminal table (numbers right-aligned)."""
    for report in reports:
        table = Table(title=report.title, title_justify="left")
        for column in report.columns:
            numeric = (
                column in METRICS or column.endswith(NUMERIC_SUFFIXES) or column == "difference"
            )
            table.add_column(column, justify="right" if numeric else "left")
        for row in report.rows:
            table.add_row(*(_cell(c, v) for c, v in zip(report.columns, row, strict=True)))
        console.print(table)


def _cell(column: str, value: Any) -> str:
    return NULL_NAMES.get(column, "") if value is None else str(value)


def render_csv(reports: Sequence[MetricsReport]) -> str:
    """All reports as one CSV: report, metric_date, group, group_name, user_kind, metrics."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["report", "metric_date", "group", "group_name", "user_kind", *METRICS])
    for report in reports:
        for row in report.rows:
            record = dict(zip(report.columns, row, strict=True))
            labels = {CSV_LABELS[c]: record[c] for c in CSV_LABELS if c in record}
            metric_date, group = row[0], row[1]
            writer.writerow(
                [report.kind, metric_date, group, labels.get("group_name"), labels.get("user_kind")]
                + [record[m] for m in METRICS]
            )
    return out.getvalue()


def render_json(reports: Sequence[MetricsReport]) -> str:
    """All reports as JSON: {"org": [...], "category": [...], ...}, one object per row."""
    payload = {
        report.kind: [dict(zip(report.columns, row, strict=True)) for row in report.rows]
        for report in reports
    }
    return json.dumps(payload, default=str, indent=2, ensure_ascii=False)


def render_rows(report: MetricsReport, fmt: str) -> str:
    """One report with its own columns, as CSV or JSON (the billing report's shape)."""
    if fmt == "json":
        rows = [dict(zip(report.columns, row, strict=True)) for row in report.rows]
        return json.dumps(rows, default=str, indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(report.columns)
    writer.writerows(report.rows)
    return out.getvalue()
