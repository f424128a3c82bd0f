"""The sandbox's undocumented-behaviour options over HTTP: list order, `total`, data profile."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import pytest

from devin_pipeline.partitions import day_bounds
from devin_pipeline.sandbox import Sandbox, SandboxData

from .conftest import START, Served

DAY = date(2024, 6, 4)


def day_params() -> dict[str, object]:
    start, end = day_bounds(DAY)
    return {"updated_after": start - 1, "updated_before": end, "include_deleted_orgs": "true"}


def test_updated_asc_lists_by_updated_at_with_ties_newest_first(serve):
    newest_first = serve().walk(**day_params(), first=7)
    by_update = serve(order="updated_asc").walk(**day_params(), first=7)
    assert sorted(by_update, key=lambda i: i["updated_at"]) == by_update
    expected = sorted(newest_first, key=lambda i: i["updated_at"])  # stable: ties keep order
    assert by_update == expected and len(by_update) > 20


def test_session_id_order_lists_by_session(serve):
    items = serve(order="session_id").walk(**day_params(), first=9)
    assert items == sorted(items, key=lambda i: (i["session_id"], i["updated_at"]))


def test_created_desc_is_the_default_order(serve):
    items = serve().walk(**day_params(), first=50)
    assert items == sorted(items, key=lambda i: (-i["created_at"], i["session_id"]))


@pytest.mark.parametrize(
    ("policy", "narrowed", "pages"),
    [
        ("always", False, [True, True]),
        ("always", True, [True, True]),
        ("never", True, [False, False]),
        ("sometimes", False, [False, False]),
        ("sometimes", True, [True, None]),
    ],
)
def test_total_policy(serve, small_data, policy, narrowed, pages):
    served: Served = serve(total=policy)
    params = {**day_params(), "first": 3}
    if narrowed:
        params["org_ids"] = list(small_data.org_ids)
    first = served.get(**params).json()
    second = served.get(**params, after=first["end_cursor"]).json()
    for body, sent in zip((first, second), pages, strict=True):
        if sent is False:
            assert "total" not in body
        elif sent is None:
            assert body["total"] is None
        else:
            assert body["total"] == len(served.walk(**params))


def test_options_are_checked():
    data = SandboxData.generate(sessions=10, days=1)
    with pytest.raises(ValueError, match="order"):
        Sandbox(data, order="random")
    with pytest.raises(ValueError, match="total"):
        Sandbox(data, total="often")
    with pytest.raises(ValueError, match="profile"):
        SandboxData.generate(sessions=10, days=1, profile="spiky")


@pytest.fixture(scope="module")
def bursty() -> SandboxData:
    return SandboxData.generate(sessions=6000, seed=7, start=START, days=7, profile="bursty")


def test_bursty_days_crowd_both_edges_and_business_hours(bursty):
    start, end = day_bounds(DAY)
    items = bursty.visible(bursty.end, start, end)
    seconds = Counter(i["updated_at"] for i in items)
    for edge in (start, end - 1):
        assert 0.05 < seconds[edge] / len(items) < 0.11  # ~7% each, hundreds at scale
    hours = Counter((i["updated_at"] - start) // 3600 for i in items if i["updated_at"] % 86_400)
    assert hours[14] > 5 * hours[3], "a business-hour burst against the night"


def test_bursty_history_keeps_every_order(bursty):
    s, v = bursty.tables.s, bursty.tables.v
    same = v["sess"][1:] == v["sess"][:-1]
    assert np.all(v["upd"][1:][same] > v["upd"][:-1][same]), "a session's versions ascend"
    first = v["vno"] == 0
    assert np.array_equal(v["upd"][first], s["created"][v["sess"][first]])
    order = np.lexsort((s["id_lo"], s["id_hi"], -s["created"]))
    assert np.array_equal(order, np.arange(order.size)), "sessions in API order"


def test_the_smooth_profile_is_the_default(small_data):
    again = SandboxData.generate(sessions=600, seed=11, start=START, days=7, profile="smooth")
    for table, other in (
        (small_data.tables.v, again.tables.v),
        (small_data.tables.s, again.tables.s),
    ):
        assert all(np.array_equal(table[k], other[k]) for k in table)
