"""`walk_day` against the served sandbox: every version of the day, once, whatever the page,
the list's order and whether `total` is sent.

2024-06-07 of the shared data holds 169 versions, with 5 stamped 23:59:59 and 4 stamped
00:00:00 (sessions touched at the day's edges): seconds that overflow a small page. The bursty
days below hold more versions in each edge second than a page of 200.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from devin_pipeline.ingest.day_walk import DayWalk, walk_day
from devin_pipeline.partitions import day_bounds
from devin_pipeline.sandbox import Sandbox, SandboxData
from tests.conftest import START, LiveSandbox

DAY = date(2024, 6, 7)
FILTERS = {"include_deleted_orgs": True}
ORDERS = ["created_desc", "updated_asc"]  # pages show an order a walk can page by
TOTALS = ["sometimes", "always", "never"]


def walk(live: LiveSandbox, page_size: int, verify: bool = True) -> tuple[list[Any], DayWalk]:
    items: list[dict[str, Any]] = []
    result = walk_day(live.api(page_size=page_size), DAY, FILTERS, items.extend, verify=verify)
    return items, result


def keys(items: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return sorted((i["session_id"], i["updated_at"]) for i in items)


def the_day(live: LiveSandbox) -> list[dict[str, Any]]:
    return live.sandbox.data.visible(live.sandbox.clock, *day_bounds(DAY))


def sessions_requests(live: LiveSandbox) -> int:
    return sum(path.endswith("/sessions") for path, _, _ in live.sandbox.requests)


def test_the_day_has_seconds_that_overflow_a_small_page(live_sandbox):
    crowded = Counter(i["updated_at"] for i in the_day(live_sandbox)).most_common(1)[0][1]
    assert crowded == 5, "the data this module relies on changed"


@pytest.mark.parametrize("total", TOTALS)
@pytest.mark.parametrize("order", [*ORDERS, "session_id"])
@pytest.mark.parametrize("page_size", [200, 17, 4, 3])
def test_every_version_of_the_day_is_listed_exactly_once(live_sandbox, page_size, order, total):
    live_sandbox.sandbox.order, live_sandbox.sandbox.total = order, total
    items, result = walk(live_sandbox, page_size)
    assert keys(items) == keys(the_day(live_sandbox))  # a list: a repeat would show
    assert result.versions == len(items) and result.stable
    assert result.pages == sessions_requests(live_sandbox)


def test_a_day_that_fits_in_one_page_is_one_request(live_sandbox):
    _, result = walk(live_sandbox, 200)
    assert (result.pages, result.walks) == (1, 1)


def test_only_a_second_holding_more_than_a_page_is_walked_by_cursor(live_sandbox):
    _, fits = walk(live_sandbox, 5)
    live_sandbox.sandbox.requests.clear()
    _, overflows = walk(live_sandbox, 3)
    assert fits.walks == 1, "no second holds more than 5: sub-windows only, no cursor"
    assert overflows.walks > 1, "the 5 versions of 23:59:59 need a cursor walk at 3 a page"


def test_without_verification_the_day_is_one_cursor_walk(live_sandbox):
    items, result = walk(live_sandbox, 17, verify=False)
    assert keys(items) == keys(the_day(live_sandbox))
    assert result.pages == math.ceil(len(items) / 17) == sessions_requests(live_sandbox)


@pytest.fixture(scope="module")
def bursty_data() -> SandboxData:
    """~5,500 versions a day, ~450 of them at 00:00:00 and ~450 at 23:59:59: the issue's
    days (6,500 versions, hundreds in each edge second)."""
    return SandboxData.generate(sessions=40_000, seed=7, start=START, days=7, profile="bursty")


@pytest.fixture
def bursty(request: pytest.FixtureRequest, bursty_data: SandboxData) -> Iterator[LiveSandbox]:
    order, total, bounds = request.param
    sandbox = Sandbox(bursty_data, order=order, total=total, bounds=bounds)
    with sandbox.serve() as base_url:
        yield LiveSandbox(sandbox, base_url)


BURSTY = [(o, t, "exclusive") for o in ORDERS for t in TOTALS]
BURSTY += [(o, "sometimes", "inclusive") for o in ORDERS]


@pytest.mark.parametrize("bursty", BURSTY, indirect=True, ids="-".join)
def test_spikes_at_both_edges_cost_at_most_15_percent_over_a_cursor_walk(bursty):
    """Every version once, and the requests (from the sandbox's log) within 1.15x."""
    start, end = day_bounds(DAY)
    expected = bursty.sandbox.data.visible(bursty.sandbox.clock, start, end)
    edges = Counter(i["updated_at"] for i in expected)
    assert min(edges[start], edges[end - 1]) > 200, "each edge second overflows a page"
    items: list[dict[str, Any]] = []
    walk_day(bursty.api(page_size=200), DAY, FILTERS, items.extend)
    guaranteed = sessions_requests(bursty)
    walk_day(bursty.api(page_size=200), DAY, FILTERS, lambda _: None, verify=False)
    cursor = sessions_requests(bursty) - guaranteed
    assert keys(items) == keys(expected)
    assert cursor == math.ceil(len(expected) / 200) or bursty.sandbox.bounds == "inclusive"
    assert guaranteed <= 1.15 * cursor, (guaranteed, cursor)


@pytest.mark.parametrize(("total", "cursor_walks"), [("always", 1), ("never", 2)])
def test_a_crowded_second_is_walked_again_only_without_evidence_it_held(
    live_sandbox, total, cursor_walks
):
    """A walk whose pages all sent the same `total`, equal to what it listed, saw no move."""
    live_sandbox.sandbox.total = total
    items, result = walk(live_sandbox, 3)
    assert keys(items) == keys(the_day(live_sandbox))
    crowded = sum(n > 3 for n in Counter(i["updated_at"] for i in items).values())
    assert result.walks == 1 + crowded * cursor_walks


@pytest.mark.parametrize("bursty", [("session_id", "sometimes", "exclusive")], indirect=True)
def test_a_list_in_no_usable_order_falls_back_and_still_lists_every_version(bursty):
    expected = bursty.sandbox.data.visible(bursty.sandbox.clock, *day_bounds(DAY))
    items: list[dict[str, Any]] = []
    result = walk_day(bursty.api(page_size=200), DAY, FILTERS, items.extend)
    assert keys(items) == keys(expected)
    assert result.fallbacks == 1 and result.pages == sessions_requests(bursty)
