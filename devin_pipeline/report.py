"""Per-org and per-category metrics for a date range, read from the DuckDB file.

Shared by `devin-pipeline report` and the demo's closing tables.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

REPORTS = {"org": "select_org_daily_metrics", "category": "select_category_daily_metrics"}


@dataclass(frozen=True)
class MetricsReport:
    """One report's column names and rows."""

    title: str
    columns: list[str]
    rows: list[tuple[Any, ...]]


def read_reports(
    database: str, start: date, end: date, schema: str = DEFAULT_SCHEMA
) -> list[MetricsReport]:
    """Both reports for [start, end] from `schema`, over a read-only connection."""
    with duckdb.connect(database, read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        return [_read(conn, kind, start, end, schema) for kind in REPORTS]


def _read(
    conn: duckdb.DuckDBPyConnection, kind: str, start: date, end: date, schema: str
) -> MetricsReport:
    cursor = conn.execute(load_sql(REPORTS[kind], schema), {"start": start, "end": end})
    columns = [d[0] for d in cursor.description]
    return MetricsReport(f"Per-{kind} daily metrics, {start} .. {end}", columns, cursor.fetchall())


def render_tables(reports: list[MetricsReport], console: Console) -> None:
    """Prints each report as a terminal table."""
    for report in reports:
        table = Table(title=report.title, title_justify="left")
        for column in report.columns:
            numeric = column not in ("metric_date", "org_id", "category")
            table.add_column(column, justify="right" if numeric else "left")
        for row in report.rows:
            table.add_row(*(str(v) for v in row))
        console.print(table)


def render_csv(reports: list[MetricsReport]) -> str:
    """Both reports as CSV with a leading `report` column, one header."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["report", "metric_date", "group", *reports[0].columns[2:]])
    for report, kind in zip(reports, REPORTS, strict=True):
        writer.writerows([kind, *row] for row in report.rows)
    return out.getvalue()


def render_json(reports: list[MetricsReport]) -> str:
    """Both reports as JSON: {"org": [...], "category": [...]}, one object per row."""
    payload = {
        kind: [dict(zip(report.columns, row, strict=True)) for row in report.rows]
        for report, kind in zip(reports, REPORTS, strict=True)
    }
    return json.dumps(payload, default=str, indent=2)
