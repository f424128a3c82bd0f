"""The pure pieces of a day walk: which order a page shows, regions, learned bounds."""

from __future__ import annotations

import pytest

from devin_pipeline.ingest.regions import Key, Region, WalkHints, shared_value, shown_order


def page(*pairs: tuple[int, int]) -> list[dict[str, int]]:
    return [{"updated_at": u, "created_at": c} for u, c in pairs]


NEWEST_FIRST = page(*((100 + i % 3, 50 - i) for i in range(12)))
BY_UPDATE = page(*((100 + i, 50 + (i * 7) % 5) for i in range(12)))


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (NEWEST_FIRST, Key("created_at", descending=True)),
        (BY_UPDATE, Key("updated_at", descending=False)),
        (NEWEST_FIRST[:8], None),  # 7 steps: too little evidence
        (NEWEST_FIRST[:5] + NEWEST_FIRST[6:5:-1] + NEWEST_FIRST[5:], None),  # a step back
        (page(*((i, i) for i in range(12))), None),  # two keys fit alike: which is it?
    ],
)
def test_shown_order(items, expected):
    assert shown_order(items) == expected


def test_a_page_of_one_second_shares_its_value_and_shows_the_other_order():
    items = page(*((100, 50 - i) for i in range(10)))
    assert shared_value(items) == ("updated_at", 100)
    assert shared_value(items, exclude="updated_at") is None
    assert shown_order(items, exclude="updated_at") == Key("created_at", descending=True)


def test_regions_narrow_in_the_keys_order():
    day = Region((0, 86_400))
    newest = Key("created_at", descending=True)
    assert day.from_value(newest, 500) == Region((0, 86_400), (None, 501))
    assert day.beyond(newest, 500) == Region((0, 86_400), (None, 500))
    at, below, above = day.split("updated_at", 0)
    assert (at, below.empty(), above) == (Region((0, 1)), True, Region((1, 86_400)))
    assert day.holds({"updated_at": 0, "created_at": -5})
    assert not day.holds({"updated_at": 86_400, "created_at": 0})


def test_a_bound_is_sent_outside_the_region_until_a_page_proves_it_inclusive():
    hints, day = WalkHints(), Region((1000, 2000))
    sent = day.query(hints)
    assert sent == {"updated_after": 999, "updated_before": 2000}
    hints.learn(sent, page((1500, 0), (2000, 0)))
    assert day.query(hints) == {"updated_after": 999, "updated_before": 1999}
