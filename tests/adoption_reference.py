"""`active_user_metrics` of CONTRACT.md in plain Python, written from the contract's text.

It shares nothing with the SQL it is compared to. Input: observed versions in the API's shape
(epoch seconds). Output: {(period, period_start, scope, scope_id): (active, creating)}.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

Key = tuple[str, date, str, str]


def utc_day(epoch_seconds: int) -> date:
    return datetime.fromtimestamp(epoch_seconds, UTC).date()


def starts(day: date) -> dict[str, date]:
    """The day's period starts: itself, its ISO week's Monday, its month's first day."""
    year, week, _ = day.isocalendar()
    return {
        "day": day,
        "week": date.fromisocalendar(year, week, 1),
        "month": date(day.year, day.month, 1),
    }


def last_day(period: str, start: date) -> date:
    if period == "day":
        return start
    if period == "week":
        return date.fromordinal(start.toordinal() + 6)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def active_user_metrics(versions: Iterable[dict[str, Any]]) -> dict[Key, tuple[int, int]]:
    versions = list(versions)
    latest: dict[str, dict[str, Any]] = {}
    for v in versions:
        if v["session_id"] not in latest or v["updated_at"] > latest[v["session_id"]]["updated_at"]:
            latest[v["session_id"]] = v
    people: dict[Key, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))

    def add(which: int, day: date, org_id: str, user_id: str) -> None:
        for period, start in starts(day).items():
            for scope, scope_id in (("enterprise", ""), ("org", org_id)):
                people[(period, start, scope, scope_id)][which].add(user_id)

    for v in versions:
        if v["user_id"]:
            add(0, utc_day(v["updated_at"]), latest[v["session_id"]]["org_id"], v["user_id"])
    for s in latest.values():
        if s["user_id"]:
            add(1, utc_day(s["created_at"]), s["org_id"], s["user_id"])
    days = [utc_day(v["updated_at"]) for v in versions]
    first, last = min(days), max(days)
    return {
        key: (len(active), len(creating))
        for key, (active, creating) in people.items()
        if key[1] <= last and last_day(key[0], key[1]) >= first
    }
