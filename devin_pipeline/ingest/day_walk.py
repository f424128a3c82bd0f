"""Walks one UTC day's window of the API until every version that stayed in it was seen.

The list's order and cursor kind are undocumented. If the cursor is an offset, a session
updated during the walk leaves the window and shifts later rows past the cursor, so one walk
can silently skip them. The walk therefore repeats until a full walk finds nothing new; a
window that fits in one page is a single response and needs no second walk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from devin_pipeline.partitions import day_bounds
from devin_pipeline.resources.devin_api import DevinAPIResource

MAX_WALKS = 4
log = logging.getLogger(__name__)


@dataclass
class DayWalk:
    """What fetching one day took."""

    day: date
    versions: int = 0
    pages: int = 0
    walks: int = 0
    stable: bool = True


def walk_day(
    api: DevinAPIResource,
    day: date,
    filters: Mapping[str, Any],
    on_items: Callable[[list[dict[str, Any]]], None],
    verify: bool = True,
) -> DayWalk:
    """Feeds `on_items` every version of `day` once, re-walking until the set is stable."""
    start, end = day_bounds(day)
    seen: set[tuple[str, int]] = set()
    result = DayWalk(day)
    while True:
        result.walks += 1
        new, pages = _one_walk(api, (start, end), filters, seen, on_items)
        result.pages += pages
        result.versions += new
        if not verify or pages == 1 or (result.walks > 1 and new == 0):
            return result
        if result.walks >= MAX_WALKS:
            result.stable = False
            log.warning("Day %s still changed after %d walks; kept what was seen", day, MAX_WALKS)
            return result


def _one_walk(
    api: DevinAPIResource,
    bounds: tuple[int, int],
    filters: Mapping[str, Any],
    seen: set[tuple[str, int]],
    on_items: Callable[[list[dict[str, Any]]], None],
) -> tuple[int, int]:
    """One cursor walk; returns (versions not seen before, pages)."""
    start, end = bounds
    new = pages = 0
    # after=start-1 and before=end cover [start, end) whether the API's bounds are
    # inclusive or exclusive (CONTRACT.md); the exact day is kept client-side below.
    for page in api.iter_session_pages(updated_after=start - 1, updated_before=end, **filters):
        pages += 1
        fresh = []
        for item in page.items:
            key = (item["session_id"], item["updated_at"])
            if start <= key[1] < end and key not in seen:
                seen.add(key)
                fresh.append(item)
        if fresh:
            on_items(fresh)
            new += len(fresh)
    return new, pages
