"""`walk_day` on days whose first second holds most of a page, against a minimal in-memory list.

A second just short of a page fills the day's first page listed by `updated_at` with only a
few steps after it, too few to trust the order; an order-free list cut before such a second
lists it alone in one page. Both once walked such a day one second at a time (86,400
requests); the sandbox showed it at 60k sessions, bursty data, listed by `updated_at`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from devin_pipeline.ingest.day_walk import walk_day
from devin_pipeline.partitions import day_bounds
from devin_pipeline.resources.models import Page

DAY = date(2024, 6, 25)
PAGE = 200


class FakeList:
    """The sessions list over fixed items: exclusive bounds, offset cursors, one order."""

    page_size = PAGE

    def __init__(self, items: list[dict[str, Any]], order: str) -> None:
        self.items, self.order, self.requests = items, order, 0

    def iter_session_pages(self, after: str | None = None, **query: Any) -> Iterator[Page]:
        match = [i for i in self.items if self._holds(i, query)]
        if self.order == "updated_asc":
            match.sort(key=lambda i: (i["updated_at"], i["session_id"]))
        offset = int(after or 0)
        while True:
            self.requests += 1
            chunk, offset = match[offset : offset + PAGE], offset + PAGE
            more = offset < len(match)
            yield Page(chunk, str(offset) if more else None, more, len(match), 1)
            if not more:
                return

    @staticmethod
    def _holds(item: dict[str, Any], query: dict[str, Any]) -> bool:
        for field in ("updated", "created"):
            low, high = query.get(f"{field}_after"), query.get(f"{field}_before")
            value = item[f"{field}_at"]
            if (low is not None and value <= low) or (high is not None and value >= high):
                return False
        return True


def day_items(spike: int, rest: int) -> list[dict[str, Any]]:
    """`spike` versions at the day's first second, `rest` over the rest of it, shuffled."""
    rng = random.Random(7)
    start, end = day_bounds(DAY)
    stamps = [start] * spike + sorted(rng.randrange(start + 1, end) for _ in range(rest))
    items = [
        {"session_id": f"s{n:05d}", "updated_at": t, "created_at": t - rng.randrange(86_400)}
        for n, t in enumerate(stamps)
    ]
    rng.shuffle(items)
    return items


@pytest.mark.parametrize("order", ["updated_asc", "unordered"])
def test_a_second_just_short_of_a_page_costs_a_request_or_two_not_one_a_second(order):
    items = day_items(spike=PAGE - 4, rest=1_800)
    api = FakeList(items, order)
    seen: list[dict[str, Any]] = []
    result = walk_day(api, DAY, {}, seen.extend)  # type: ignore[arg-type]
    keys = sorted((i["session_id"], i["updated_at"]) for i in seen)
    assert keys == sorted((i["session_id"], i["updated_at"]) for i in items)
    cursor_walk = -(-len(items) // PAGE)
    limit = cursor_walk + 2 if order == "updated_asc" else 3 * cursor_walk  # order-free: ~1.4x+
    assert result.pages == api.requests <= limit, (result.pages, cursor_walk)
