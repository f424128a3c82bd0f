"""The dashboard's panels: each one query on one table, its date range, and why it is empty."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from devin_pipeline.dashboard.sources import empty_reason, table_state
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.metrics_store import CATEGORY_DAILY_METRICS, ORIGIN_DAILY_METRICS
from devin_pipeline.warehouse.sql_files import load_sql

TOP_ORGS = 10  # by name in the stacked chart; the others as one group
TOP_PEOPLE = 25
LIST_LIMIT = 50


@dataclass(frozen=True)
class Window:
    """The chosen UTC days [start, end] and the text a panel shows for them."""

    start: date
    end: date

    def text(self, unit: str = "UTC days") -> str:
        return f"{unit} {self.start} .. {self.end}"


@dataclass
class Panel:
    """One panel's rows (JSON-ready), the table they come from, its range and any empty note."""

    name: str
    title: str
    source: str
    window: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    table_columns: tuple[str, ...] = ()
    verdict: str = ""  # a check's word on the panel's figures


@dataclass(frozen=True)
class PanelSpec:
    """How a panel is read: its table, its SQL (for a schema), its range text and params."""

    name: str
    title: str
    table: str
    sql: Callable[[str], str]
    window: Callable[[Window], str] = Window.text
    per_person: bool = False
    table_columns: tuple[str, ...] = ()


def _file(name: str) -> Callable[[str], str]:
    return lambda schema: load_sql(name, schema)


def _billing(window: Window) -> str:
    return window.text("billing days (from 08:00 UTC)")


SPECS = (
    PanelSpec(
        "acus_by_org",
        "ACUs per day by organization",
        "org_daily_metrics",
        _file("select_dashboard_acus_by_org"),
    ),
    PanelSpec(
        "billed_by_day",
        "Billed ACUs per billing day",
        "acu_consumption",
        _file("select_dashboard_billed_by_day"),
        _billing,
    ),
    PanelSpec(
        "active_users",
        "Active users per day, week and month",
        "active_user_metrics",
        _file("select_dashboard_active_users"),
        lambda w: w.text("periods overlapping"),
    ),
    PanelSpec(
        "seats",
        "Seats: listed people by status",
        "seat_usage",
        _file("select_dashboard_seats"),
        lambda w: "as of the latest snapshot day",
    ),
    PanelSpec(
        "idle_seats",
        "Seats idle or never used",
        "seat_usage",
        _file("select_dashboard_idle_seats"),
        lambda w: "as of the latest snapshot day",
        per_person=True,
        table_columns=("person", "status", "last_active_date", "sessions_90d"),
    ),
    PanelSpec(
        "top_users",
        "Top people and service users by ACUs",
        "user_daily_metrics",
        _file("select_top_users"),
        per_person=True,
        table_columns=("person", "user_kind", "acus_consumed", "sessions_created", "prs_merged"),
    ),
    PanelSpec(
        "by_category",
        "By category",
        "category_daily_metrics",
        lambda s: CATEGORY_DAILY_METRICS.in_schema(s).sql("select_dashboard_group_totals"),
    ),
    PanelSpec(
        "by_origin",
        "By origin",
        "origin_daily_metrics",
        lambda s: ORIGIN_DAILY_METRICS.in_schema(s).sql("select_dashboard_group_totals"),
    ),
    PanelSpec(
        "outcomes",
        "Outcomes by org and session size",
        "outcome_metrics",
        _file("select_dashboard_outcomes"),
        lambda w: w.text("monthly cohorts overlapping"),
        table_columns=(
            "dimension",
            "group",
            "sessions_created",
            "merge_rate",
            "prs_merged",
            "acus_per_merged_pr",
        ),
    ),
    PanelSpec(
        "billing",
        "Billed vs session-derived ACUs per org",
        "acu_reconciliation",
        _file("select_billing_report"),
        _billing,
        table_columns=("org", "billed_acus", "session_acus", "difference"),
    ),
    PanelSpec(
        "budget",
        "Current billing cycle: budget used and forecast",
        "org_budget_status",
        _file("select_dashboard_budget"),
        lambda w: "the cycle holding the latest billing day",
        table_columns=(
            "org",
            "billed_acus",
            "acu_limit",
            "limit_share",
            "forecast_acus",
            "forecast_share",
            "forecast_cost",
            "currency",
        ),
    ),
    PanelSpec(
        "crosscheck",
        "Devin's own metrics vs the warehouse's",
        "metrics_crosscheck",
        _file("select_dashboard_crosscheck"),
        lambda w: w.text("periods starting"),
        table_columns=(
            "period",
            "period_start",
            "metric",
            "dimension",
            "reported",
            "derived",
            "difference",
            "known_difference",
        ),
    ),
)


@dataclass(frozen=True)
class PanelOptions:
    """What the settings decide about the page: names shown, per-person panels kept."""

    show_names: bool = True
    per_person: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> PanelOptions:
        return cls(settings.store_personal_data, settings.dashboard_per_person)


def read_panels(
    conn: duckdb.DuckDBPyConnection,
    schema: str,
    window: Window,
    settings: Settings,
    options: PanelOptions,
) -> list[Panel]:
    """Every panel the options keep, read from `schema` for `window`."""
    params = {"start": window.start, "end": window.end, "top": TOP_ORGS, "limit": LIST_LIMIT}
    panels = []
    for spec in SPECS:
        if spec.per_person and not options.per_person:
            continue
        panel = Panel(
            spec.name,
            spec.title,
            f"{schema}.{spec.table}",
            spec.window(window),
            table_columns=spec.table_columns,
        )
        state = table_state(conn, schema, spec.table, settings)
        if not state.readable:
            panel.note = state.reason
        else:
            sql = spec.sql(schema)
            used = {k: v for k, v in params.items() if f"${k}" in sql}
            if spec.name == "top_users":
                used["limit"] = TOP_PEOPLE
            panel.rows = query_rows(conn, sql, used)
            panel.note = "" if panel.rows else empty_reason(schema, spec.table, panel.window)
        if spec.per_person:
            panel.rows = [_person(row, options.show_names) for row in panel.rows]
        for row in panel.rows:
            if "org_id" in row:  # an org no listing held is said so, never shown as None
                row["org"] = row.pop("org_name") or f"{row['org_id']} (not listed)"
        panels.append(panel)
    return panels


def _person(row: dict[str, Any], show_names: bool) -> dict[str, Any]:
    """A person's row labelled by name, or by id only when personal data is off."""
    name = row.pop("user_name", None)
    row["person"] = name if show_names and name else row["user_id"]
    return row


def query_rows(
    conn: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """The rows of one query as JSON-ready dicts (dates as ISO text, decimals as floats)."""
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [
        {c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in cursor.fetchall()
    ]


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
