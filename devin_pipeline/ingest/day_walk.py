"""Lists one UTC day's window of the API so that every version that stayed in it is seen.

The list's order and cursor kind are undocumented. If the cursor is an offset, a session
updated during a walk leaves the window and shifts later rows past the cursor, so following
cursors can silently skip rows. So no cursor is followed where anything else works; each
response is one answer given at one instant, and the walk relies on that alone:

1. A response with `has_next_page: false` lists its whole query at that instant.
2. A response with `has_next_page: true` lists the first items of its query at that instant,
   in the API's order. When its page is sorted by a key the API filters on (`created_at`
   descending, as a newest-first list is, or `updated_at` ascending; `regions.shown_order`
   needs at least 8 strict steps and none back), every item of the query whose key comes
   strictly before the page's last value is on the page. Those are passed on, and the walk
   asks again for the rest: the same query narrowed to the last value and beyond (keyset
   paging). Items with the last value are asked again, so the parts passed on are disjoint.
3. A page whose items all share one value (more versions in one second than a page holds)
   is the first page of that value's own region too: it is paged by the other key when the
   page shows one, else by cursor (below); the walk goes on after the value in the trusted
   order, or, before any order is trusted, lists both sides of it as regions of their own.
   A first page mostly of one value yet showing no order (a second just short of a page,
   listed by `updated_at`) is split the same way, the page itself dropped.

Each version that stays in the day for the whole run lies in exactly one part, and is in
the answer that lists its part: it is passed on exactly once. That holds whatever the cursor
kind and whatever data moves (a version's `updated_at` and `created_at` never change, so it
cannot move between parts), on one assumption: a page sorted by a key with 8+ steps means
the list is sorted by it. A list sorted by something that agrees with a key on every page yet
not across pages (an internal id that mostly follows `created_at`, say) could hide a version
whose key is out of line, unless it lands inside a page, which breaks the order. When a page
breaks the order its walk trusted, or shows none, the rest of the region falls back to an
order-free scheme, which costs ~1.4 requests a page:

- Sub-windows of `updated_at` sized to come back in one page (rule 1). A sub-window that
  overflows is cut before its most crowded second or halved, and asked again; the next width
  follows the density just seen, aiming at 85% full pages.
- Only a second holding more than a page is walked by cursor. A walk whose every page sent
  the same `total`, equal to the items it listed, saw nothing move (an offset walk skips an
  item only when an item before it leaves, which lowers `total`) and is not repeated;
  otherwise walks repeat until one finds nothing new, at most MAX_WALKS. Versions entering
  and leaving a second between the same two pages would cancel out in `total`; versions
  enter a second only while it is the present, so this matters only for the live day.

With `verify=False` the day is one cursor walk: the fewest requests, and no guarantee.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from devin_pipeline.ingest.regions import Key, Region, WalkHints, shared_value, shown_order
from devin_pipeline.partitions import day_bounds
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.resources.models import SessionPage

MAX_WALKS = 4
FILL = 0.85  # of a page: headroom for the density to change between neighbouring windows
SPIKE = 8  # versions in one second of a page that make it a spike (small pages have none)
log = logging.getLogger(__name__)

OnItems = Callable[[list[dict[str, Any]]], None]


@dataclass
class DayWalk:
    """What fetching one day took: requests (`pages`), cursor walks, order-free fallbacks."""

    day: date
    versions: int = 0
    pages: int = 0
    walks: int = 0
    fallbacks: int = 0
    stable: bool = True


@dataclass
class _Walk:
    """One day's walk: the API, the filters, where items go, and what it took."""

    api: DevinAPIResource
    filters: Mapping[str, Any]
    on_items: OnItems
    result: DayWalk
    hints: WalkHints

    def first_page(self, region: Region) -> SessionPage:
        """The first page of `region`'s query (dropping the generator asks for no more)."""
        query = region.query(self.hints)
        page = next(iter(self.api.iter_session_pages(**query, **self.filters)))
        self.result.pages += 1
        self.hints.learn(query, page.items)
        return page

    def emit(self, items: list[dict[str, Any]]) -> None:
        """Passes on a part's versions, once each even if the API repeated one in its page."""
        unique = list({(i["session_id"], i["updated_at"]): i for i in items}.values())
        if unique:
            self.on_items(unique)
            self.result.versions += len(unique)


def walk_day(
    api: DevinAPIResource,
    day: date,
    filters: Mapping[str, Any],
    on_items: OnItems,
    verify: bool = True,
    hints: WalkHints | None = None,
) -> DayWalk:
    """Feeds `on_items` every version of `day` once (each part's versions at a time)."""
    walk = _Walk(api, filters, on_items, DayWalk(day), hints or WalkHints())
    region = Region(day_bounds(day))
    if verify:
        walk.result.walks = 1
        _list(walk, region)
    else:
        _cursor_walks(walk, region, max_walks=1)
    return walk.result


def _list(
    walk: _Walk, region: Region, page: SessionPage | None = None, fixed: str | None = None
) -> None:
    """Lists `region` by keyset paging while pages show an order (the module's rules 1-3).

    `fixed` names a field the region holds at one value, so no page can show its order.
    """
    key: Key | None = None
    asked: dict[str, Any] | None = None
    while not region.empty():
        if page is None:
            if region.query(walk.hints) == asked:  # no progress: nothing new was learned
                _scan(walk, region)
                return
            asked = region.query(walk.hints)
            page = walk.first_page(region)
        if not page.has_next_page:
            walk.emit([i for i in page.items if region.holds(i)])
            return
        if key is None and (shared := shared_value(page.items, fixed)):
            _split(walk, region, page, *shared, fixed)
            return
        if key is not None:
            key = _still(key, page)
        elif (key := shown_order(page.items, fixed)) is None and (
            crowded := _crowded(page.items, fixed)
        ):
            _split_off(walk, region, *crowded, fixed)
            return
        if key is None:
            _scan(walk, region)
            return
        last = page.items[-1][key.field]
        if page.items[0][key.field] == last:
            value_part, *_ = region.split(key.field, last)
            _tie(walk, value_part, page, key.field)
            region = region.beyond(key, last)
        else:
            walk.emit([i for i in page.items if i[key.field] != last and region.holds(i)])
            region = region.from_value(key, last)
        page = None


def _still(key: Key, page: SessionPage) -> Key | None:
    """`key` if this page keeps its order; None (with a note) if it breaks it."""
    if key.steps(page.items) is not None:
        return key
    log.info("a page broke the %s order the walk trusted; falling back", key)
    return None


def _split(
    walk: _Walk, region: Region, page: SessionPage, name: str, value: int, fixed: str | None
) -> None:
    """A first page whose items all share `value` of `name`: that value's part, then the rest.

    Whatever the order, the page is the first page of the value's own part too (the query's
    first items all belong to it). Which side of the value the order lists first is unknown,
    so both sides are listed as regions of their own (at a day's edges one side is empty).
    """
    value_part, below, above = region.split(name, value)
    _tie(walk, value_part, page, name)
    _list(walk, below, fixed=fixed)
    _list(walk, above, fixed=fixed)


def _crowded(items: list[dict[str, Any]], fixed: str | None) -> tuple[str, int] | None:
    """The value a spike fills most of a page with, if one does (on a page showing no order).

    A page mostly of one second (as an edge second just short of a page is, listed by
    `updated_at`) shows too few steps to trust an order, though the rest of the day would.
    """
    for name in ("updated_at", "created_at"):
        if name != fixed and items:
            value, count = Counter(i[name] for i in items).most_common(1)[0]
            if count >= max(SPIKE, len(items) / 2):
                return name, value
    return None


def _split_off(walk: _Walk, region: Region, name: str, value: int, fixed: str | None) -> None:
    """A spike's value and both sides of it, each listed as a region of its own.

    The page is none of their first pages, so nothing of it is passed on: one request more
    than a cursor walk, where the order-free scheme would have cost ~1.4x for the whole day.
    """
    value_part, below, above = region.split(name, value)
    _list(walk, value_part, fixed=name)
    _list(walk, below, fixed=fixed)
    _list(walk, above, fixed=fixed)


def _tie(walk: _Walk, region: Region, page: SessionPage, name: str) -> None:
    """Lists the region of one value of `name` that `page` (its first page) fills."""
    if region.empty():
        return  # the value lies outside the day (a bound sent one second outside it)
    if shown_order(page.items, exclude=name) is not None:
        _list(walk, region, page, fixed=name)
    else:
        _cursor_walks(walk, region, MAX_WALKS)


def _scan(walk: _Walk, region: Region) -> None:
    """Lists `region` in `updated_at` sub-windows that each fit in one page (order-free)."""
    walk.result.fallbacks += 1
    start, end = region.updated
    assert start is not None and end is not None
    target = FILL * walk.api.page_size
    low, width = start, min(end - start, walk.hints.width or end)
    while low < end:
        high = min(low + width, end)
        page = walk.first_page(region.with_updated(low, high))
        if page.has_next_page and high - low > 1:
            narrowed = _narrowed(page, (low, high), width, walk.hints)
            if narrowed:
                width = narrowed
                continue
            high = low + 1  # `low` alone fills a page; the width after it stays
        if page.has_next_page:  # one second holds more than a page: only cursors can list it
            _cursor_walks(walk, region.with_updated(low, high), MAX_WALKS)
        else:
            sub = region.with_updated(low, high)
            walk.emit([i for i in page.items if sub.holds(i)])
            if high - low > 1:
                walk.hints.width = width = _next_width(high - low, len(page.items), target)
            else:  # a spike's own second says nothing of the density after it: not learned
                width = walk.hints.width or _next_width(1, len(page.items), target)
        low = high


def _narrowed(page: SessionPage, bounds: tuple[int, int], width: int, hints: WalkHints) -> int:
    """The width to retry an overflowing window with; 0 when its first second fills a page.

    Every item is a sample of the window: a second holding a quarter of the page (and at
    least SPIKE versions) is a spike, many versions stamped alike as at the edges of a day.
    The window is cut just before it (or to its one second, when it starts the window)
    rather than halved a dozen times down to it; after the spike the width learned before
    it resumes. Only where to cut depends on this, never what is listed.
    """
    low, high = bounds
    counts = Counter(i["updated_at"] for i in page.items if low <= i["updated_at"] < high)
    if len(counts) == 1 and next(iter(counts)) == low:
        return 0
    spikes = [s for s, n in counts.items() if n >= max(SPIKE, len(page.items) / 4)]
    if spikes:
        return max(1, min(spikes) - low)  # before the spike, or the spike's second alone
    return max(1, min((high - low) // 2, hints.width or width))


def _next_width(width: int, count: int, target: float) -> int:
    """The width that would hold `target` versions at this window's density (at most 4x)."""
    return max(1, min(4 * width, int(width * target / max(count, 1))))


def _cursor_walks(walk: _Walk, region: Region, max_walks: int) -> None:
    """Cursor walks of `region` until one saw nothing move or found nothing new.

    A window that fits in one page is a single response and needs no second walk.
    """
    seen: set[tuple[str, int]] = set()
    for number in range(1, max_walks + 1):
        walk.result.walks += 1
        new, pages, steady = _one_walk(walk, region, seen)
        if pages == 1 or steady or (number > 1 and new == 0):
            return
    if max_walks > 1:
        walk.result.stable = False
        log.warning("%s still changed after %d walks; kept what was seen", region, max_walks)


def _one_walk(walk: _Walk, region: Region, seen: set[tuple[str, int]]) -> tuple[int, int, bool]:
    """One cursor walk; returns (versions not seen before, pages, whether `total` held)."""
    new = pages = listed = 0
    totals: set[int | None] = set()
    for page in walk.api.iter_session_pages(**region.query(walk.hints), **walk.filters):
        pages += 1
        listed += len(page.items)
        totals.add(page.total)
        fresh = []
        for item in page.items:
            key = (item["session_id"], item["updated_at"])
            if region.holds(item) and key not in seen:
                seen.add(key)
                fresh.append(item)
        if fresh:
            walk.on_items(fresh)
            new += len(fresh)
    walk.result.pages += pages
    walk.result.versions += new
    return new, pages, totals == {listed}
