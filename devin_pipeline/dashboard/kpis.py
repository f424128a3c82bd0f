"""The KPI cards: the chosen range's headline figures beside the previous range of equal length."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

import duckdb

from devin_pipeline.dashboard.panels import Window
from devin_pipeline.warehouse.sql_files import load_sql

LABELS = {
    "sessions": "Sessions created",
    "acus": "ACUs",
    "cost": "Cost",
    "wau": "Weekly active users (7 days to the end)",
    "mau": "Monthly active users (30 days to the end)",
    "prs_merged": "PRs merged",
    "acus_per_merged_pr": "ACUs per merged PR",
}


@dataclass(frozen=True)
class Kpi:
    """One card: its figure over the range and over the previous range, and the change."""

    name: str
    label: str
    value: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        """Relative change against the previous range; None when it had nothing."""
        if self.value is None or not self.previous:
            return None
        return round((self.value - self.previous) / self.previous, 4)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "change": self.change}


def previous_window(window: Window) -> Window:
    """The range of the same length that ends the day before `window` starts."""
    days = (window.end - window.start).days + 1
    return Window(window.start - timedelta(days=days), window.start - timedelta(days=1))


def read_kpis(
    conn: duckdb.DuckDBPyConnection, schema: str, window: Window, price: float | None
) -> list[Kpi]:
    """The cards of `window` (cost only when an ACU price is set)."""
    now = _figures(conn, schema, window, price)
    before = _figures(conn, schema, previous_window(window), price)
    return [Kpi(name, LABELS[name], now[name], before[name]) for name in LABELS if name in now]


def _figures(
    conn: duckdb.DuckDBPyConnection, schema: str, window: Window, price: float | None
) -> dict[str, float | None]:
    cursor = conn.execute(
        load_sql("select_dashboard_kpis", schema), {"start": window.start, "end": window.end}
    )
    row = cursor.fetchone() or ()
    figures: dict[str, float | None] = {
        d[0]: float(v) for d, v in zip(cursor.description, row, strict=True)
    }
    acus, merged = figures["acus"] or 0.0, figures["prs_merged"] or 0.0
    figures["acus"] = round(acus, 4)
    figures["acus_per_merged_pr"] = round(acus / merged, 4) if merged else None
    if price is not None:
        figures["cost"] = round(acus * price, 2)
    return figures
