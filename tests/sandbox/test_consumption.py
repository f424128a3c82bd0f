"""The consumption endpoints over real HTTP: exact billing, products, late days, date marks,
bounds, under-reported sessions, 404s."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from devin_pipeline.sandbox.vocab import CONSUMPTION_PATH

from .conftest import Served

DAY = 86_400
DAILY = CONSUMPTION_PATH


def cents(x: float) -> int:
    return round(x * 100)


def billing_date_of(entry):
    """The client's rule, valid for every date mark: the UTC date of `date + 12 h`."""
    return datetime.fromtimestamp(entry["date"] + 12 * 3600, UTC).date()


def settled_clock(data) -> int:
    """A clock after every version, when every billing day is settled."""
    return int(data.tables.v["upd"].max()) + 3 * DAY


@pytest.fixture
def live(serve) -> Served:
    return serve()


def consumption(live: Served, path: str = DAILY, **params):
    response = live.get(path=path, **params)
    assert response.status_code == 200, response.text
    return response.json()


def test_body_shape_and_enterprise_products(live: Served):
    body = consumption(live)
    assert set(body) == {"total_acus", "consumption_by_date"}
    entries = body["consumption_by_date"]
    assert len(entries) == 8  # the day holding the data's start through the one in progress
    for entry in entries:
        assert set(entry["acus_by_product"]) == {"devin", "cascade", "terminal", "review"}
        assert cents(entry["acus"]) == sum(map(cents, entry["acus_by_product"].values()))
        assert (entry["date"] - 8 * 3600) % DAY == 0  # billing_start: B 08:00 UTC
    assert cents(body["total_acus"]) == sum(cents(e["acus"]) for e in entries)
    busy = [e for e in entries if e["acus_by_product"]["devin"] > 50]
    for entry in busy:
        shares = {
            p: a / entry["acus_by_product"]["devin"] for p, a in entry["acus_by_product"].items()
        }
        assert 0.05 < shares["cascade"] < 0.11 and 0.01 < shares["review"] < 0.04


def test_org_totals_over_settled_days_equal_their_versions_deltas(live: Served):
    data, sb = live.sb.data, live.sb
    sb.clock = settled_clock(data)
    v = data.tables.v
    delta = v["acus_cents"] - np.where(v["vno"] > 0, np.roll(v["acus_cents"], 1), 0)
    for code, org_id in enumerate(data.org_ids):
        body = consumption(live, f"{DAILY}/organizations/{org_id}")
        expected = int(delta[v["org"] == code].sum())
        assert cents(body["total_acus"]) == expected > 0, org_id
        by_day = {billing_date_of(e): cents(e["acus"]) for e in body["consumption_by_date"]}
        assert by_day == data.enterprise.accrued_cents_by_billing_day(org_id, sb.clock)
        products = {
            p for e in body["consumption_by_date"] for p, a in e["acus_by_product"].items() if a
        }
        assert products == {"devin"}


def test_enterprise_exceeds_the_sum_of_its_orgs(live: Served):
    data, sb = live.sb.data, live.sb
    sb.clock = settled_clock(data)
    whole = consumption(live)["consumption_by_date"]
    orgs = [
        consumption(live, f"{DAILY}/organizations/{o}")["consumption_by_date"] for o in data.org_ids
    ]
    for k, entry in enumerate(whole):
        devin = sum(cents(org[k]["acus"]) for org in orgs)
        assert cents(entry["acus_by_product"]["devin"]) == devin
        assert devin == 0 or cents(entry["acus"]) > devin


def test_users_and_service_users_add_up_to_the_enterprise(live: Served):
    data, sb = live.sb.data, live.sb
    sb.clock = settled_clock(data)
    names = data.tables.names
    paths = [f"{DAILY}/users/{u}" for u in names.users]
    paths += [f"{DAILY}/service-users/{s}" for s in names.service_users]
    total = sum(cents(consumption(live, p)["total_acus"]) for p in paths)
    whole = consumption(live)["consumption_by_date"]
    assert total == sum(cents(e["acus_by_product"]["devin"]) for e in whole)
    left = data.enterprise.left_user_ids[0]
    assert consumption(live, f"{DAILY}/users/{left}")["total_acus"] > 0  # still billed


def test_a_session_is_billed_its_final_acus(live: Served):
    data, sb = live.sb.data, live.sb
    sb.clock = settled_clock(data)
    for item in data.visible(sb.clock)[:40:7]:
        body = consumption(live, f"{DAILY}/sessions/{item['session_id']}")
        assert cents(body["total_acus"]) == cents(item["acus_consumed"])


def test_billed_matches_the_endpoint(live: Served):
    data, sb = live.sb.data, live.sb
    org = data.org_ids[1]
    for path, scope, scope_id in (
        (DAILY, "enterprise", ""),
        (f"{DAILY}/organizations/{org}", "org", org),
    ):
        for entry in consumption(live, path)["consumption_by_date"]:
            billed = data.enterprise.billed(scope, scope_id, billing_date_of(entry), sb.clock)
            assert billed == entry["acus_by_product"]


def test_spend_is_billed_before_the_session_shows_it(live: Served):
    data, sb = live.sb.data, live.sb
    truth, ahead = data.enterprise, 0
    for org_id in data.org_ids:
        billed = sum(truth.accrued_cents_by_billing_day(org_id, sb.clock).values())
        shown = sum(truth.session_cents_by_billing_day(org_id, sb.clock).values())
        assert billed >= shown
        ahead += billed > shown
        late = settled_clock(data)
        assert sum(truth.accrued_cents_by_billing_day(org_id, late).values()) == sum(
            truth.session_cents_by_billing_day(org_id, late).values()
        )
    assert ahead


def test_recent_days_grow_as_the_clock_moves_then_settle(live: Served):
    sb, truth = live.sb, live.sb.data.enterprise
    day_end = sb.clock - 16 * 3600  # the last billing day that ended before the clock
    start = day_end - DAY
    seen = []
    for _ in range(5):
        (entry,) = consumption(live, time_after=start - 1, time_before=start + 1)[
            "consumption_by_date"
        ]
        seen.append(cents(entry["acus"]))
        sb.advance(12 * 3600)
    exact = sum(
        map(cents, truth.billed("enterprise", "", billing_date_of(entry), sb.clock).values())
    )
    assert seen[0] < seen[1] < seen[2] < seen[3] == seen[4] == exact
    assert seen[0] == pytest.approx(exact * (1 - 0.03 * (1 - 16 / 48)), abs=4)


@pytest.mark.parametrize(
    ("mark", "offset"),
    [("billing_start", 8 * 3600), ("utc_midnight", 0), ("pacific_dst", 7 * 3600)],
)
def test_date_marks_name_the_same_billing_days(serve, live: Served, mark, offset):
    marked = serve(consumption_date_mark=mark)
    reference = consumption(live)["consumption_by_date"]
    entries = consumption(marked)["consumption_by_date"]
    assert [e["date"] % DAY for e in entries] == [offset] * len(entries)
    assert [billing_date_of(e) for e in entries] == [billing_date_of(e) for e in reference]
    assert [e["acus"] for e in entries] == [e["acus"] for e in reference]
    first = datetime.fromtimestamp(marked.sb.data.start, UTC).date()
    assert billing_date_of(entries[1]) == first  # entry 0 is the day before, holding 00:00


def test_time_window_returns_the_days_that_hold_its_instants(served: Served):
    starts = [e["date"] for e in consumption(served)["consumption_by_date"]]
    aligned = consumption(served, time_after=starts[2], time_before=starts[4])
    expected = starts[2:5] if served.sb.bounds == "inclusive" else starts[2:4]
    assert [e["date"] for e in aligned["consumption_by_date"]] == expected
    inside = consumption(served, time_after=starts[2] + 1, time_before=starts[3] - 1)
    assert [e["date"] for e in inside["consumption_by_date"]] == starts[2:3]
    empty = consumption(served, time_before=starts[0] - DAY)
    assert empty == {"total_acus": 0.0, "consumption_by_date": []}


def test_extra_products_appear_in_every_entry(serve):
    live = serve(extra_products={"windsurf": 0.01})
    org = live.sb.data.org_ids[0]
    whole = consumption(live)["consumption_by_date"]
    one = consumption(live, f"{DAILY}/organizations/{org}")["consumption_by_date"]
    assert all("windsurf" in e["acus_by_product"] for e in whole + one)
    assert any(e["acus_by_product"]["windsurf"] > 0 for e in whole)
    assert all(e["acus_by_product"]["windsurf"] == 0.0 for e in one)
    for entry in whole:
        assert cents(entry["acus"]) == sum(map(cents, entry["acus_by_product"].values()))


def test_under_report_scales_session_items_but_not_billing(serve, live: Served):
    data = live.sb.data
    org = data.org_ids[0]
    shy = serve(under_report={org: 0.8})
    truth = {i["session_id"]: i for i in live.walk(first=200, include_deleted_orgs="true")}
    shown = shy.walk(first=200, include_deleted_orgs="true")
    assert len(shown) == len(truth)
    scaled = 0
    for item in shown:
        real = truth[item["session_id"]]
        if item["org_id"] == org:
            assert cents(item["acus_consumed"]) == round(cents(real["acus_consumed"]) * 0.8)
            scaled += real["acus_consumed"] > 0
            item = {**item, "acus_consumed": real["acus_consumed"]}
        assert item == real
    assert scaled
    path = f"{DAILY}/organizations/{org}"
    assert consumption(shy, path) == consumption(live, path)


@pytest.mark.parametrize("segment", ["organizations", "users", "service-users", "sessions"])
def test_unknown_ids_are_404_problem_details(live: Served, segment):
    response = live.get(path=f"{DAILY}/{segment}/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == f"{DAILY}/{segment}/nope"


def test_deleted_and_sessionless_scopes_are_known(live: Served):
    truth = live.sb.data.enterprise
    deleted = consumption(live, f"{DAILY}/organizations/{truth.deleted_org_ids[0]}")
    assert deleted["total_acus"] > 0
    extra = consumption(live, f"{DAILY}/organizations/{truth.extra_org_id}")
    assert extra["total_acus"] == 0.0 and extra["consumption_by_date"]
    for ident in truth.sessionless_ids:
        segment = "service-users" if ident.startswith("service-user-") else "users"
        assert consumption(live, f"{DAILY}/{segment}/{ident}")["total_acus"] == 0.0


def test_a_session_created_after_the_clock_is_404(live: Served):
    sb = live.sb
    newest = sb.data.visible(sb.clock)[0]
    sb.clock = newest["created_at"] - 1
    assert live.get(path=f"{DAILY}/sessions/{newest['session_id']}").status_code == 404


@pytest.mark.parametrize("param", ["time_after", "time_before"])
def test_non_integer_times_are_422(live: Served, param):
    response = live.get(path=DAILY, **{param: "yesterday"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", param]
