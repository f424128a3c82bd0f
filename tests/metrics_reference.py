"""The daily metrics of CONTRACT.md in plain Python, written from the contract's text.

It shares nothing with the SQL it is compared to, and favours obviousness over speed: the
tests hold the warehouse tables to it. Input: observed versions in the API's shape (epoch
seconds, `pull_requests` as [{pr_url, pr_state}]). Output: {(date, group): {metric: value}}.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

Version = dict[str, Any]
Metrics = dict[str, float]
MetricsByGroupDay = dict[tuple[date, str | None], Metrics]

METRIC_NAMES = (
    "sessions_created",
    "sessions_updated",
    "active_users",
    "acus_consumed",
    "prs_opened",
    "prs_merged",
)


def utc_day(epoch_seconds: int) -> date:
    """A timestamp's UTC calendar day."""
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).date()


def org_daily_metrics(versions: Iterable[Version]) -> MetricsByGroupDay:
    """{(metric_date, org_id): metrics}, sessions grouped by their latest org."""
    return daily_metrics(versions, lambda latest: latest["org_id"])


def category_daily_metrics(versions: Iterable[Version]) -> MetricsByGroupDay:
    """{(metric_date, category): metrics}, sessions grouped by their latest category."""
    return daily_metrics(versions, lambda latest: latest["category"] or "uncategorized")


def user_daily_metrics(versions: Iterable[Version]) -> MetricsByGroupDay:
    """{(metric_date, user): metrics}: the latest user_id, else service_user_id, else
    'unattributed'."""
    return daily_metrics(
        versions,
        lambda latest: latest["user_id"] or latest.get("service_user_id") or "unattributed",
    )


def origin_daily_metrics(versions: Iterable[Version]) -> MetricsByGroupDay:
    """{(metric_date, origin): metrics}, sessions grouped by their latest origin."""
    return daily_metrics(versions, lambda latest: latest.get("origin") or "unknown")


def daily_metrics(
    versions: Iterable[Version], group_of: Callable[[Version], str | None]
) -> MetricsByGroupDay:
    """The six metrics per (day, group), where group_of(latest version) names a session's group."""
    histories = session_histories(versions)
    groups: dict[str | None, list[list[Version]]] = defaultdict(list)
    for history in histories.values():
        groups[group_of(history[-1])].append(history)
    result: MetricsByGroupDay = {}
    for group, group_histories in groups.items():
        for day, metrics in _group_metrics(group_histories).items():
            if any(metrics[name] != 0 for name in METRIC_NAMES):
                result[(day, group)] = metrics
    return result


def session_histories(versions: Iterable[Version]) -> dict[str, list[Version]]:
    """Each session's observed versions, oldest first."""
    histories: dict[str, list[Version]] = defaultdict(list)
    for version in versions:
        histories[version["session_id"]].append(version)
    return {sid: sorted(h, key=lambda v: v["updated_at"]) for sid, h in histories.items()}


def _group_metrics(histories: list[list[Version]]) -> dict[date, Metrics]:
    created: dict[date, set[str]] = defaultdict(set)
    updated: dict[date, set[str]] = defaultdict(set)
    users: dict[date, set[str]] = defaultdict(set)
    acus: dict[date, float] = defaultdict(float)
    for history in histories:
        latest = history[-1]
        if latest["created_at"] is not None:
            created[utc_day(latest["created_at"])].add(latest["session_id"])
        for version, spent in zip(history, acu_contributions(history), strict=True):
            day = utc_day(version["updated_at"])
            updated[day].add(version["session_id"])
            if version["user_id"] is not None:
                users[day].add(version["user_id"])
            acus[day] += spent
    opened, merged = _first_pr_days(histories)
    days = set(created) | set(updated) | set(opened) | set(merged)
    return {
        day: {
            "sessions_created": len(created[day]),
            "sessions_updated": len(updated[day]),
            "active_users": len(users[day]),
            "acus_consumed": acus[day],
            "prs_opened": opened.get(day, 0),
            "prs_merged": merged.get(day, 0),
        }
        for day in days
    }


def acu_contributions(history: list[Version]) -> list[float]:
    """What each version adds: its growth over the previous known acus_consumed (first: all).

    A version without acus_consumed adds nothing; the next one adds the growth since the last
    value that was known.
    """
    contributions = []
    previous = 0.0
    for version in history:
        value = version["acus_consumed"]
        if value is None:
            contributions.append(0.0)
            continue
        contributions.append(value - previous)
        previous = value
    return contributions


def _first_pr_days(histories: list[list[Version]]) -> tuple[dict[date, int], dict[date, int]]:
    """Per day: distinct PRs first seen in the group then, in any state and as merged."""
    first_seen: dict[str, date] = {}
    first_merged: dict[str, date] = {}
    for history in histories:
        for version in history:
            day = utc_day(version["updated_at"])
            for pr in version["pull_requests"] or []:
                url = pr["pr_url"]
                if url is None:
                    continue
                first_seen[url] = min(day, first_seen.get(url, day))
                if pr["pr_state"] == "merged":
                    first_merged[url] = min(day, first_merged.get(url, day))
    return _count_by_day(first_seen), _count_by_day(first_merged)


def _count_by_day(first_days: dict[str, date]) -> dict[date, int]:
    counts: dict[date, int] = defaultdict(int)
    for day in first_days.values():
        counts[day] += 1
    return dict(counts)
