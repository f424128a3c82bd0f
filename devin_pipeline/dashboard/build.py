"""Builds the dashboard from an open DuckDB connection: the HTML page and an SVG per chart
beside it. Shared by the asset `devin/usage_dashboard` and `devin-pipeline dashboard`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import vl_convert

from devin_pipeline.dashboard.charts import CHARTS, chart_spec, with_data
from devin_pipeline.dashboard.freshness import read_freshness, reconciliation_verdict
from devin_pipeline.dashboard.kpis import Kpi, read_kpis
from devin_pipeline.dashboard.page import render_page
from devin_pipeline.dashboard.panels import Panel, PanelOptions, Window, read_panels
from devin_pipeline.dashboard.sources import table_state
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.file_modes import open_private, private_directory
from devin_pipeline.warehouse.sql_files import load_sql

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Dashboard:
    """What a build wrote: the page, the chart files, the range and the headline figures."""

    path: Path
    charts: list[Path]
    window: Window
    kpis: list[Kpi]
    panels: list[Panel]

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size

    def summary(self) -> str:
        """A few lines of markdown: the range, the KPIs, and the panels that are empty."""
        lines = [f"Usage dashboard for UTC days {self.window.start} .. {self.window.end}.", ""]
        lines += [
            f"- {k.label}: {'n/a' if k.value is None else f'{k.value:,.2f}'}" for k in self.kpis
        ]
        empty = [p.title for p in self.panels if p.note and not p.rows]
        if empty:
            lines += ["", "Empty panels (the page says why): " + "; ".join(empty) + "."]
        return "\n".join(lines)


def default_window(conn: duckdb.DuckDBPyConnection, schema: str, settings: Settings) -> Window:
    """The 30 days ending on the latest snapshot day (the data's, not the clock's)."""
    end: date | None = None
    if table_state(conn, schema, "session_snapshots", settings).readable:
        row = conn.execute(load_sql("select_dashboard_last_snapshot_day", schema)).fetchone()
        end = row[0] if row else None
    end = end or datetime.now(UTC).date() - timedelta(days=1)
    return Window(end - timedelta(days=DEFAULT_DAYS - 1), end)


def build_dashboard(
    conn: duckdb.DuckDBPyConnection,
    schema: str,
    out: Path,
    settings: Settings,
    window: Window | None = None,
    failed_checks: list[dict[str, Any]] | None = None,
) -> Dashboard:
    """Reads every panel for `window` (default: `default_window`) and writes `out` and the
    SVGs `<out stem>-<chart>.svg` beside it."""
    window = window or default_window(conn, schema, settings)
    options = PanelOptions.from_settings(settings)
    panels = read_panels(conn, schema, window, settings, options)
    panels += read_freshness(conn, schema, settings, failed_checks)
    for panel in panels:
        if panel.name == "billing":
            panel.verdict = reconciliation_verdict(failed_checks)
    price, currency = _price(conn, schema, settings)
    kpis = _kpis(conn, schema, window, settings, price, panels)
    charts = {p.name: chart_spec(p.name) for p in panels if p.rows and p.name in CHARTS}
    title = "Devin usage"
    subtitle = (
        f"UTC days {window.start} .. {window.end} (KPI changes against the "
        f"{(window.end - window.start).days + 1} days before) · schema {schema} · built "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    private_directory(out.parent)
    # Written beside, then renamed: a reader never opens a half-written page. Owner-only, like
    # the warehouse: the page names people (share it on purpose, by copying it).
    partial = out.with_name(f".{out.name}.partial")
    _write_private(partial, render_page(title, subtitle, kpis, panels, charts, currency))
    partial.replace(out)
    rows = {p.name: p.rows for p in panels}
    svgs = []
    for name, spec in charts.items():
        svg = out.with_name(f"{out.stem}-{name}.svg")
        _write_private(svg, vl_convert.vegalite_to_svg(with_data(spec, name, rows[name])))
        svgs.append(svg)
    return Dashboard(out, svgs, window, kpis, panels)


def _write_private(path: Path, text: str) -> None:
    with open_private(path) as file:
        file.write(text.encode("utf-8"))


def _price(
    conn: duckdb.DuckDBPyConnection, schema: str, settings: Settings
) -> tuple[float | None, str | None]:
    """The ACU price set (DEVIN_ACU_PRICE), else the one the budget table was costed with."""
    if settings.acu_price is not None:
        return settings.acu_price, settings.currency
    if not table_state(conn, schema, "org_budget_status", settings).readable:
        return None, None
    row = conn.execute(load_sql("select_dashboard_acu_price", schema)).fetchone()
    return (float(row[0]), row[1]) if row else (None, None)


def _kpis(
    conn: duckdb.DuckDBPyConnection,
    schema: str,
    window: Window,
    settings: Settings,
    price: float | None,
    panels: list[Panel],
) -> list[Kpi]:
    """The cards; where their tables cannot be read, a note panel first says why."""
    for table in ("session_snapshots", "org_daily_metrics"):
        state = table_state(conn, schema, table, settings)
        if not state.readable:
            panels.insert(
                0,
                Panel(
                    "kpis",
                    "Headline figures",
                    f"{schema}.{table}",
                    window.text(),
                    note=state.reason,
                ),
            )
            return []
    return read_kpis(conn, schema, window, price)
