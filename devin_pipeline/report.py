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
            numeric = column in METRICS or column.endswith("acus") or column == "difference"
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
