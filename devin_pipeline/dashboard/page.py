"""The dashboard as one self-contained HTML file: styles, Vega's scripts and the data inline.

The data a page shows is embedded once, as JSON in `<script id="dashboard-data">`, so a reader
(or a test) can take the numbers back out; the charts render from it with no network.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from typing import Any

import vl_convert

from devin_pipeline.dashboard.kpis import Kpi
from devin_pipeline.dashboard.panels import Panel

DATA_ID = "dashboard-data"
# Renders every chart of the page from the embedded data (SVG, so each is a DOM element).
RENDER = """
const data = JSON.parse(document.getElementById("DATA_ID").textContent);
for (const el of document.querySelectorAll("[data-chart]")) {
  const name = el.dataset.chart;
  const spec = Object.assign({}, data.charts[name]);
  spec.datasets = Object.assign({}, spec.datasets || {}, {[name]: data.panels[name].rows});
  vegaEmbed(el, spec, {actions: false, renderer: "svg"})
    .then(() => el.setAttribute("data-rendered", "true"))
    .catch((error) => { el.textContent = "Chart failed: " + error; console.error(error); });
}
""".replace("DATA_ID", DATA_ID)

STYLE = """
body{font:14px system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{padding:16px 24px;background:#1d2330;color:#fff}header p{margin:4px 0 0;color:#c9cfdb}
main{padding:16px 24px;display:grid;gap:16px;
grid-template-columns:repeat(auto-fit,minmax(640px,1fr))}
.chart{overflow-x:auto}
.kpis{grid-column:1/-1;display:grid;gap:12px;
grid-template-columns:repeat(auto-fit,minmax(150px,1fr))}
.kpi,.panel{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0002}
.kpi b{display:block;font-size:24px;margin:4px 0}.kpi small{color:#667}
.up{color:#1a7f37}.down{color:#c62828}
.panel h2{font-size:16px;margin:0 0 2px}.meta{color:#667;font-size:12px;margin:0 0 8px}
.verdict{font-weight:600}
.note{background:#fff8e1;border-left:3px solid #f0b400;padding:6px 10px;margin:8px 0}
table{border-collapse:collapse;width:100%;font-size:12px}td,th{padding:3px 6px;
border-bottom:1px solid #eee;text-align:left}td.n{text-align:right}
"""
TABLE_ROWS = 12


@cache
def vega_bundle() -> str:
    """vega, vega-lite and vega-embed with the page's renderer, bundled by vl-convert offline."""
    return vl_convert.javascript_bundle(RENDER)


def render_page(
    title: str,
    subtitle: str,
    kpis: list[Kpi],
    panels: list[Panel],
    charts: dict[str, dict[str, Any]],
    currency: str | None,
) -> str:
    """The whole HTML document."""
    payload = {
        "title": title,
        "subtitle": subtitle,
        "kpis": {kpi.name: kpi.as_json() for kpi in kpis},
        "panels": {
            p.name: {
                "title": p.title,
                "source": p.source,
                "window": p.window,
                "note": p.note,
                "verdict": p.verdict,
                "rows": p.rows,
            }
            for p in panels
        },
        "charts": charts,
    }
    data = json.dumps(payload, separators=(",", ":"), default=str).replace("</", "<\\/")
    cards = "".join(_card(kpi, currency) for kpi in kpis)
    body = "".join(_panel(p, p.name in charts) for p in panels)
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
        f'<meta name=viewport content="width=device-width"><style>{STYLE}</style></head><body>'
        f"<header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header><main>"
        f"<section class=kpis>{cards}</section>{body}</main>"
        f'<script id="{DATA_ID}" type="application/json">{data}</script>'
        f"<script>{vega_bundle()}</script></body></html>"
    )


def _card(kpi: Kpi, currency: str | None) -> str:
    unit = f" {currency}" if kpi.name == "cost" and currency else ""
    change = kpi.change
    if change is None:
        trend = "<small>no previous figure</small>"
    else:
        arrow, css = ("▲", "up") if change >= 0 else ("▼", "down")
        trend = f"<small class={css}>{arrow} {change:+.1%}</small> <small>vs previous range</small>"
    return (
        f'<div class=kpi data-kpi="{kpi.name}"><small>{escape(kpi.label)}</small>'
        f"<b>{_number(kpi.value)}{unit}</b>{trend}</div>"
    )


def _panel(panel: Panel, has_chart: bool) -> str:
    note = f"<p class=note>{escape(panel.note)}</p>" if panel.note else ""
    if panel.verdict:
        note += f"<p class=verdict>{escape(panel.verdict)}</p>"
    chart = f'<div class=chart data-chart="{panel.name}"></div>' if has_chart else ""
    return (
        f'<section class=panel id="panel-{panel.name}"><h2>{escape(panel.title)}</h2>'
        f"<p class=meta>{escape(panel.window)} · source {escape(panel.source)}</p>"
        f"{note}{chart}{_table(panel)}</section>"
    )


def _table(panel: Panel) -> str:
    if not panel.rows or not panel.table_columns:
        return ""
    head = "".join(f"<th>{escape(c)}</th>" for c in panel.table_columns)
    body = ""
    for row in panel.rows[:TABLE_ROWS]:
        cells = (row.get(c) for c in panel.table_columns)
        body += "<tr>" + "".join(_cell(v) for v in cells) + "</tr>"
    more = len(panel.rows) - TABLE_ROWS
    tail = f"<p class=meta>and {more} more rows</p>" if more > 0 else ""
    return f"<table><tr>{head}</tr>{body}</table>{tail}"


def _cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"<td class=n>{_number(value)}</td>"
    return f"<td>{escape('' if value is None else str(value))}</td>"


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
