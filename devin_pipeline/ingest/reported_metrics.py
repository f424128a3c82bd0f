"""Reads Devin's own metrics for a range of UTC days into rows of `reported_metrics`.

Every request is aligned to whole buckets (a day, a Monday-to-Monday week, a calendar month),
so the answer is the same whether the API cuts a range that starts mid-bucket or counts the
bucket whole; an entry is matched to its period by `start_time`, never by `end_time` (the
next boundary or the bucket's last second: undocumented). A period's row comes with the
partition of its last day (CONTRACT.md, `devin/reported_metrics`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from devin_pipeline.partitions import day_bounds, days_in_range
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.resources.endpoints import (
    METRICS_DAU,
    METRICS_MAU,
    METRICS_PRS,
    METRICS_SEARCHES,
    METRICS_SESSIONS,
    METRICS_WAU,
    Endpoint,
)
from devin_pipeline.resources.metrics_models import (
    ACTIVE_USER_BUCKETS,
    PR_METRICS,
    SEARCH_METRICS,
    SESSION_METRICS,
)

BUCKETS: tuple[tuple[str, str, Endpoint], ...] = (
    ("day", "dau", METRICS_DAU),
    ("week", "wau", METRICS_WAU),
    ("month", "mau", METRICS_MAU),
)
# body field -> metric, for the scalar figures of the per-day endpoints.
SESSION_FIGURES = {
    "sessions_created_count": "sessions_created",
    "sessions_with_merged_prs_count": "sessions_with_merged_prs",
    "avg_acus_per_session": "avg_acus_per_session",
}
PR_FIGURES = {
    "prs_created_count": "prs_created",
    "prs_merged_count": "prs_merged",
    "prs_closed_count": "prs_closed",
}
BY_KEY = {
    "sessions_created_by_origin": "sessions_created_by_origin",
    "sessions_created_by_size": "sessions_created_by_size",
}


@dataclass(frozen=True)
class ReportedRow:
    """One row of `reported_metrics` (its key, and the value as sent)."""

    period: str
    period_start: date
    metric: str
    dimension: str
    value: float


def period_start(day: date, period: str) -> date:
    """The first UTC day of the day, week (Monday) or month holding `day`."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if period == "month" else day


def period_end(start: date, period: str) -> date:
    """The first UTC day after the period starting at `start`."""
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if period == "week" else 1)


def periods_ending_in(first: date, last: date, period: str) -> list[date]:
    """Starts of the periods whose last day lies in [first, last]."""
    return [
        period_start(d, period)
        for d in days_in_range(first, last)
        if period_end(period_start(d, period), period) == d + timedelta(days=1)
    ]


def fetch_reported_metrics(api: DevinAPIResource, first: date, last: date) -> list[ReportedRow]:
    """Every figure of the partitions first..last: the buckets, then each day's figures."""
    rows = [row for spec in BUCKETS for row in _buckets(api, first, last, *spec)]
    for day in days_in_range(first, last):
        rows += _day_figures(api, day)
    return rows


def _buckets(
    api: DevinAPIResource, first: date, last: date, period: str, metric: str, endpoint: Endpoint
) -> list[ReportedRow]:
    """One request over the whole periods that end in the range; an entry per period."""
    starts = periods_ending_in(first, last, period)
    if not starts:
        return []
    time_after, _ = day_bounds(starts[0])
    time_before, _ = day_bounds(period_end(starts[-1], period))
    entries = api.get_metrics(
        endpoint, ACTIVE_USER_BUCKETS, time_after=time_after, time_before=time_before
    )
    by_start = {e.start_time: e.active_users for e in entries}
    return [
        ReportedRow(period, start, metric, "", float(by_start[day_bounds(start)[0]]))
        for start in starts
        if day_bounds(start)[0] in by_start
    ]


def _day_figures(api: DevinAPIResource, day: date) -> list[ReportedRow]:
    """The sessions, PR and search figures of one UTC day (a key not sent is no row)."""
    after, before = day_bounds(day)
    window = {"time_after": after, "time_before": before}
    sessions = api.get_metrics(METRICS_SESSIONS, SESSION_METRICS, **window)
    prs = api.get_metrics(METRICS_PRS, PR_METRICS, **window)
    searches = api.get_metrics(METRICS_SEARCHES, SEARCH_METRICS, **window)
    figures = {
        **{m: getattr(sessions, f) for f, m in SESSION_FIGURES.items()},
        **{m: getattr(prs, f) for f, m in PR_FIGURES.items()},
        "searches_created": searches.searches_created_count,
    }
    rows = [
        ReportedRow("day", day, metric, "", float(value))
        for metric, value in figures.items()
        if value is not None
    ]
    for field, metric in BY_KEY.items():
        counts: dict[str, float | None] = getattr(sessions, field)
        rows += [
            ReportedRow("day", day, metric, key, float(value))
            for key, value in counts.items()
            if value is not None
        ]
    return rows
