"""Lists one UTC day's window of the API so that every version that stayed in it is seen.

The list's order and cursor kind are undocumented. If the cursor is an offset, a session
updated during a walk leaves the window and shifts later rows past the cursor, so following
cursors can silently skip rows. So the day is listed in consecutive sub-windows of
`updated_at`, each small enough to come back in one page: a page that says
`has_next_page: false` is a single response listing its whole sub-window at one instant, so
every version that stays put is in it, and no cursor is ever followed. A sub-window that
overflows is halved (or cut before a crowded second) and asked again; the next width follows
the density just seen, aiming at ~85% full pages. That costs ~1.4 requests per page of data,
where walking the day twice until a walk found nothing new (the check before this one) cost 2.

Only one second holding more than a page of versions still needs the cursor: it is walked
until a walk finds nothing new. With `verify=False` the day is one cursor walk: the fewest
requests, and no guarantee.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from devin_pipeline.partitions import day_bounds
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.resources.models import SessionPage

MAX_WALKS = 4
FILL = 0.85  # of a page: headroom for the density to change between neighbouring windows
log = logging.getLogger(__name__)

OnItems = Callable[[list[dict[str, Any]]], None]


@dataclass
class DayWalk:
    """What fetching one day took."""

    day: date
    versions: int = 0
    pages: int = 0
    walks: int = 0
    stable: bool = True


@dataclass
class WidthHint:
    """The sub-window width that last filled a page, shared by the days of a run.

    Days look alike, so a day that overflows its first page starts from it instead of halving
    its way down from 24 hours. Threads share it without a lock: any value is only a guess.
    """

    seconds: int | None = None


def walk_day(
    api: DevinAPIResource,
    day: date,
    filters: Mapping[str, Any],
    on_items: OnItems,
    verify: bool = True,
    hint: WidthHint | None = None,
) -> DayWalk:
    """Feeds `on_items` every version of `day` once (each sub-window's versions at a time)."""
    result = DayWalk(day)
    if verify:
        _scan(api, day_bounds(day), filters, on_items, result, hint or WidthHint())
    else:
        _cursor_walks(api, day_bounds(day), filters, on_items, result, max_walks=1)
    return result


def _scan(
    api: DevinAPIResource,
    bounds: tuple[int, int],
    filters: Mapping[str, Any],
    on_items: OnItems,
    result: DayWalk,
    hint: WidthHint,
) -> None:
    """Lists [start, end) in sub-windows that each fit in one page (the module's docstring)."""
    start, end = bounds
    target = FILL * api.page_size
    # A quiet day is a single request; a day like those before it starts at their width.
    low, width = start, min(end - start, hint.seconds or end)
    result.walks = 1
    while low < end:
        high = min(low + width, end)
        page = _first_page(api, (low, high), filters)
        result.pages += 1
        if page.has_next_page and high - low > 1:
            narrowed = _narrowed(page, (low, high), width, hint)
            if narrowed:
                width = narrowed
                continue
            high = low + 1  # `low` alone fills a page; the width after it stays
        if page.has_next_page:  # one second holds more than a page: only cursors can list it
            _cursor_walks(api, (low, high), filters, on_items, result, MAX_WALKS)
        else:
            _emit([i for i in page.items if low <= i["updated_at"] < high], on_items, result)
            hint.seconds = width = _next_width(high - low, len(page.items), target)
        low = high


def _narrowed(page: SessionPage, bounds: tuple[int, int], width: int, hint: WidthHint) -> int:
    """The width to retry an overflowing window with; 0 when its first second fills a page.

    A full page whose versions all share one second shows a spike (many versions stamped
    alike, like the edges of a day): the window is cut just before it, rather than halved a
    dozen times down to it. Only where to cut depends on this, never what is listed.
    """
    low, high = bounds
    seconds = {item["updated_at"] for item in page.items}
    if len(seconds) == 1 and low <= (spike := seconds.pop()) < high:
        return spike - low
    return max(1, min((high - low) // 2, hint.seconds or width))


def _next_width(width: int, count: int, target: float) -> int:
    """The width that would hold `target` versions at this window's density (at most 4x)."""
    return max(1, min(4 * width, int(width * target / max(count, 1))))


def _first_page(
    api: DevinAPIResource, bounds: tuple[int, int], filters: Mapping[str, Any]
) -> SessionPage:
    # after=low-1 and before=high cover [low, high) whether the API's bounds are inclusive
    # or exclusive (CONTRACT.md); the exact window is kept client-side.
    # Only the first page is read; dropping the generator ends it without another request.
    low, high = bounds
    return next(iter(api.iter_session_pages(updated_after=low - 1, updated_before=high, **filters)))


def _emit(items: list[dict[str, Any]], on_items: OnItems, result: DayWalk) -> None:
    """Passes on a window's versions, once each even if the API repeated one in its page."""
    unique = list({(i["session_id"], i["updated_at"]): i for i in items}.values())
    if unique:
        on_items(unique)
        result.versions += len(unique)


def _cursor_walks(
    api: DevinAPIResource,
    bounds: tuple[int, int],
    filters: Mapping[str, Any],
    on_items: OnItems,
    result: DayWalk,
    max_walks: int,
) -> None:
    """Cursor walks of `bounds` until one finds nothing new, at most `max_walks`.

    A window that fits in one page is a single response and needs no second walk.
    """
    seen: set[tuple[str, int]] = set()
    for walk in range(1, max_walks + 1):
        result.walks += 1
        new, pages = _one_walk(api, bounds, filters, seen, on_items)
        result.pages += pages
        result.versions += new
        if pages == 1 or (walk > 1 and new == 0):
            return
    if max_walks > 1:
        result.stable = False
        log.warning("%s still changed after %d walks; kept what was seen", bounds, max_walks)


def _one_walk(
    api: DevinAPIResource,
    bounds: tuple[int, int],
    filters: Mapping[str, Any],
    seen: set[tuple[str, int]],
    on_items: OnItems,
) -> tuple[int, int]:
    """One cursor walk; returns (versions not seen before, pages)."""
    start, end = bounds
    new = pages = 0
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
