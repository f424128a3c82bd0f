"""The metrics endpoints over real HTTP: they agree with what a client derives from the
sessions where they should, differ where Devin's do, and each undocumented reading is an
option that answers as documented."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from devin_pipeline.sandbox import SANDBOX_NO_PERMISSION_KEY
from devin_pipeline.sandbox.metrics_options import HIDDEN_ORIGINS, MetricsOptions
from devin_pipeline.sandbox.vocab import METRICS_PATH, VIEW_METRICS

from .conftest import START, Served

DAY = 86_400
MONDAY = int(datetime(2024, 6, 3, tzinfo=UTC).timestamp())  # small_data: 2024-06-01 + 7 days
PLAIN = MetricsOptions(searches=False, origins="all")


def metric(live: Served, name: str, **params):
    response = live.get(path=f"{METRICS_PATH}/{name}", **params)
    assert response.status_code == 200, response.text
    return response.json()


def created_by_day(live: Served) -> dict[int, list[dict]]:
    """Sessions as a client sees them (the list endpoint), by the UTC day they were created."""
    days: dict[int, list[dict]] = {}
    for item in live.walk(include_deleted_orgs="true", first=200):
        days.setdefault(item["created_at"] // DAY * DAY, []).append(item)
    return days


def test_without_searches_dau_and_sessions_equal_what_a_client_derives(serve):
    live = serve(metrics=PLAIN)
    start = int(datetime(START.year, START.month, START.day, tzinfo=UTC).timestamp())
    days = created_by_day(live)
    buckets = metric(live, "dau", time_after=start, time_before=start + 7 * DAY)
    assert [b["start_time"] for b in buckets] == [start + n * DAY for n in range(7)]
    for bucket in buckets:
        items = days.get(bucket["start_time"], [])
        assert bucket["active_users"] == len({i["user_id"] for i in items if i["user_id"]})
        body = metric(live, "sessions", time_after=bucket["start_time"],
                      time_before=bucket["start_time"] + DAY)  # fmt: skip
        assert body["sessions_created_count"] == len(items) > 0
        assert body["sessions_created_by_origin"] == dict(Counter(i["origin"] for i in items))


def test_devin_counts_searches_and_hides_or_folds_origins(serve, small_data):
    live = serve()  # Devin's way: the defaults
    metrics, options = small_data.enterprise.metrics, live.sb.metrics_options
    week = metric(live, "wau", time_after=MONDAY, time_before=MONDAY + 7 * DAY)
    plain = metrics.active_users(MONDAY, MONDAY + 7 * DAY, live.sb.clock, PLAIN)
    assert week[0]["active_users"] > plain, "people active only through searches count"
    hidden = metrics.hidden(MONDAY, MONDAY + 7 * DAY, live.sb.clock, options)
    assert week[0]["active_users"] - plain == hidden["search_only_users"]
    sessionless = set(metrics.people) - set(small_data.tables.names.users)
    searched = {metrics.people[p] for p in metrics.searches["person"]}
    assert sessionless and sessionless <= searched, "some searches by people with no session"
    body = metric(live, "sessions", time_after=MONDAY, time_before=MONDAY + 7 * DAY)
    by_origin = body["sessions_created_by_origin"]
    raw = metrics.origin_counts(MONDAY, MONDAY + 7 * DAY, live.sb.clock)
    assert not set(by_origin) & {*HIDDEN_ORIGINS, "scheduled"} and raw["cli"] and raw["scheduled"]
    assert by_origin["automation"] == raw["automation"] + raw["scheduled"]
    assert sum(by_origin.values()) == body["sessions_created_count"] - raw["cli"]
    assert (
        metric(live, "searches", time_after=MONDAY, time_before=MONDAY + DAY)[
            "searches_created_count"
        ]
        > 0
    )


@pytest.mark.parametrize("end_time", ["next_boundary", "last_second"])
@pytest.mark.parametrize("cut", ["whole", "clip"])
def test_end_time_and_mid_bucket_cut_are_options(serve, end_time, cut):
    live = serve(metrics=MetricsOptions(end_time=end_time, cut=cut))
    after, before = MONDAY + 3 * DAY + 3600, MONDAY + 7 * DAY + 3600  # mid-week to mid-day
    [week, next_week] = metric(live, "wau", time_after=after, time_before=before)
    boundary = MONDAY + 7 * DAY
    assert week["end_time"] == (boundary if end_time == "next_boundary" else boundary - 1)
    assert week["start_time"] == (MONDAY if cut == "whole" else after)
    assert next_week["start_time"] == boundary
    whole = metric(live, "wau", time_after=MONDAY, time_before=boundary)[0]["active_users"]
    if cut == "whole":
        assert week["active_users"] == whole
    else:
        clipped = live.sb.data.enterprise.metrics.active_users(
            after, boundary, live.sb.clock, live.sb.metrics_options
        )
        assert week["active_users"] == clipped < whole


@pytest.mark.parametrize("comma_lists", [False, True])
def test_list_parameters_as_repeated_keys_and_optionally_comma_joined(
    serve, small_data, comma_lists
):
    live = serve(metrics=MetricsOptions(comma_lists=comma_lists))
    orgs = list(small_data.org_ids[:2])
    window = {"time_after": MONDAY, "time_before": MONDAY + 3 * DAY}
    each = [metric(live, "sessions", org_ids=[o], **window)["sessions_created_count"] for o in orgs]
    repeated = metric(live, "sessions", org_ids=orgs, **window)["sessions_created_count"]
    joined = metric(live, "sessions", org_ids=",".join(orgs), **window)["sessions_created_count"]
    assert repeated == sum(each) > 0
    assert joined == (sum(each) if comma_lists else 0), "unsplit, 'a,b' is an unknown id"


def test_missing_time_after_is_422_and_a_key_without_the_permission_403(serve):
    live = serve(permissions=frozenset({"ViewAccountSessions"}))
    for name in ("dau", "wau", "mau", "active-users", "sessions", "prs", "searches"):
        response = live.get(path=f"{METRICS_PATH}/{name}", time_before=MONDAY)
        assert response.status_code in (403, 422)
    allowed = serve()
    for name in ("dau", "wau", "mau", "active-users", "sessions", "prs", "searches"):
        response = allowed.get(path=f"{METRICS_PATH}/{name}", time_before=MONDAY)
        assert response.status_code == 422 and "time_after" in response.text
    assert allowed.get(path=f"{METRICS_PATH}/usage").status_code == 200, "times optional there"
    refused = live.get(path=f"{METRICS_PATH}/dau", time_after=MONDAY, time_before=MONDAY + DAY)
    assert refused.status_code == 403 and VIEW_METRICS in refused.json()["detail"]
    nobody = allowed.get(SANDBOX_NO_PERMISSION_KEY, path=f"{METRICS_PATH}/usage")
    assert nobody.status_code == 403
