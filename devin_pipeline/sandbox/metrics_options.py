"""The metrics endpoints' options (the readings the real API leaves undocumented), their
request filters, and the UTC buckets they count by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from devin_pipeline.sandbox import vocab

DAY = 86_400
PERIODS = ("day", "week", "month")
# Documented: sessions_created_by_origin never reports these, and folds `scheduled` into
# `automation`.
HIDDEN_ORIGINS = ("cli", "vscode_extension", "devin_spaces")
FOLDED_ORIGINS = {"scheduled": "automation"}
SIZES = ("xs", "s", "m", "l", "xl")
SIZE_LIMITS_CENTS = (100, 400, 1_000, 3_000)  # upper bounds of xs..l: not published upstream
END_TIMES = ("next_boundary", "last_second")
CUTS = ("whole", "clip")
ORIGIN_REPORTS = ("devin", "all")
SEARCHES_PER_DAY = 0.4
MERGED = vocab.PR_STATES.index("merged")
CLOSED = vocab.PR_STATES.index("closed")


@dataclass(frozen=True)
class MetricsOptions:
    """How the metrics endpoints answer where the docs are silent (defaults: Devin's way).

    `searches`: people also run searches (some people only search), which count as activity;
    `origins`: "devin" hides cli/vscode_extension/devin_spaces and folds scheduled into
    automation, "all" reports every origin as the sessions carry it; `end_time`: a bucket's
    `end_time` is the next boundary or its last second; `cut`: a range starting or ending
    mid-bucket counts that bucket "whole" or "clip"s it to the range; `comma_lists`: list
    parameters may also come comma-joined (`org_ids=a,b`), besides the repeated key."""

    searches: bool = True
    origins: str = "devin"
    end_time: str = "next_boundary"
    cut: str = "whole"
    comma_lists: bool = False

    def __post_init__(self) -> None:
        for name, allowed in (("origins", ORIGIN_REPORTS), ("end_time", END_TIMES), ("cut", CUTS)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"metrics {name} must be one of {allowed}")


@dataclass(frozen=True)
class Scope:
    """The filters of a metrics request (None: not given; unknown ids match nothing)."""

    org_ids: tuple[str, ...] | None = None
    user_ids: tuple[str, ...] | None = None
    service_user_ids: tuple[str, ...] | None = None
    playbook_id: str | None = None


def bucket_start(day: date, period: str) -> date:
    """The first UTC day of the day, week (Monday) or month holding `day`."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if period == "month" else day


def next_start(start: date, period: str) -> date:
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if period == "week" else 1)


def epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def utc_day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


EVERYONE = Scope()  # no filter
