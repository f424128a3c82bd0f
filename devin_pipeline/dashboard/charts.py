"""The dashboard's charts as Vega-Lite specs (altair), each reading its panel's rows by name.

A spec names its data (`{"name": panel}`) instead of holding it: the page embeds each panel's
rows once, and both the page and the SVG export fill the name in from there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt

WIDTH = 480
HEIGHT = 220
DAY = alt.Axis(format="%b %d", title=None, labelAngle=0)


def _data(panel: str) -> alt.NamedData:
    return alt.NamedData(name=panel)


def _legend_series(field: str, title: str) -> tuple[alt.Parameter, dict[str, Any]]:
    """A legend whose entries hide or show their series when clicked."""
    pick = alt.selection_point(fields=[field], bind="legend")
    return pick, {"opacity": alt.condition(pick, alt.value(1), alt.value(0.15))}


def acus_by_org() -> alt.TopLevelMixin:
    pick, fade = _legend_series("org", "Organization")
    return (
        alt.Chart(_data("acus_by_org"), width=WIDTH, height=HEIGHT)
        .mark_bar()
        .encode(
            x=alt.X("day:T", timeUnit="utcyearmonthdate", axis=DAY),
            y=alt.Y("sum(acus):Q", title="ACUs"),
            color=alt.Color("org:N", title="Organization"),
            tooltip=[
                alt.Tooltip("day:T", format="%Y-%m-%d"),
                "org:N",
                alt.Tooltip("acus:Q", format=",.2f"),
            ],
            **fade,
        )
        .add_params(pick)
    )


def billed_by_day() -> alt.TopLevelMixin:
    return (
        alt.Chart(_data("billed_by_day"), width=WIDTH, height=HEIGHT)
        .mark_bar(color="#8c6bb1")
        .encode(
            x=alt.X("day:T", timeUnit="utcyearmonthdate", axis=DAY),
            y=alt.Y("billed_acus:Q", title="Billed ACUs"),
            tooltip=[
                alt.Tooltip("day:T", format="%Y-%m-%d"),
                alt.Tooltip("billed_acus:Q", format=",.2f"),
            ],
        )
    )


def active_users() -> alt.TopLevelMixin:
    pick, fade = _legend_series("period", "Period")
    return (
        alt.Chart(_data("active_users"), width=WIDTH, height=HEIGHT)
        .mark_line(point=True)
        .encode(
            x=alt.X("period_start:T", timeUnit="utcyearmonthdate", axis=DAY),
            y=alt.Y("active_users:Q", title="Active users"),
            color=alt.Color("period:N", title="Period", sort=["day", "week", "month"]),
            tooltip=[
                "period:N",
                alt.Tooltip("period_start:T", format="%Y-%m-%d"),
                "active_users:Q",
                "creating_users:Q",
                "is_complete:N",
            ],
            **fade,
        )
        .add_params(pick)
    )


def _bars(panel: str, y: str, x: str, title: str, extra: list[str]) -> alt.TopLevelMixin:
    """Horizontal bars of `x` per `y`, the largest on top, with a tooltip of `extra`."""
    return (
        alt.Chart(_data(panel), width=WIDTH)
        .mark_bar()
        .encode(
            y=alt.Y(f"{y}:N", sort="-x", title=None),
            x=alt.X(f"{x}:Q", title=title),
            tooltip=[f"{y}:N", alt.Tooltip(f"{x}:Q", format=",.2f"), *extra],
        )
    )


def billing() -> alt.TopLevelMixin:
    pick, fade = _legend_series("figure", "Figure")
    return (
        alt.Chart(_data("billing"), width=WIDTH)
        .transform_fold(["billed_acus", "session_acus"], as_=["figure", "acus"])
        .mark_bar()
        .encode(
            y=alt.Y("org:N", sort="-x", title=None),
            yOffset="figure:N",
            x=alt.X("acus:Q", title="ACUs"),
            color=alt.Color("figure:N", title="Figure", legend=alt.Legend(orient="top")),
            tooltip=["org:N", "figure:N", alt.Tooltip("acus:Q", format=",.2f")],
            **fade,
        )
        .add_params(pick)
    )


CHARTS: dict[str, Callable[[], alt.TopLevelMixin]] = {
    "acus_by_org": acus_by_org,
    "billed_by_day": billed_by_day,
    "active_users": active_users,
    "seats": lambda: _bars("seats", "status", "people", "People", []),
    "top_users": lambda: _bars(
        "top_users",
        "person",
        "acus_consumed",
        "ACUs",
        ["user_kind:N", "sessions_created:Q", "prs_merged:Q"],
    ),
    "by_category": lambda: _bars(
        "by_category", "group", "acus", "ACUs", ["sessions:Q", "prs_merged:Q"]
    ),
    "by_origin": lambda: _bars(
        "by_origin", "group", "acus", "ACUs", ["sessions:Q", "prs_merged:Q"]
    ),
    "outcomes": lambda: _bars(
        "outcomes",
        "group",
        "merge_rate",
        "Merge rate",
        ["dimension:N", "sessions_created:Q", "acus_per_merged_pr:Q"],
    ),
    "billing": billing,
    "budget": lambda: _bars(
        "budget",
        "org",
        "forecast_share",
        "Forecast share of the limit",
        ["billed_acus:Q", "acu_limit:Q", "forecast_acus:Q", "limit_share:Q"],
    ),
}


def chart_spec(panel: str) -> dict[str, Any]:
    """The Vega-Lite spec of a panel's chart, its data still a name."""
    return CHARTS[panel]().to_dict(validate=False)


def with_data(spec: dict[str, Any], panel: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The spec with its named data filled in (what the SVG export renders)."""
    return {**spec, "datasets": {**spec.get("datasets", {}), panel: rows}}
