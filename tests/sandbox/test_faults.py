"""Each fault of a FaultPlan does what it says, on the requests it says."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest
import requests

from devin_pipeline.sandbox import FaultPlan

from .conftest import PATH, Served


@pytest.fixture
def live(serve) -> Served:
    return serve()


def statuses(live: Served, n: int, **params) -> list[int]:
    return [live.get(first=5, **params).status_code for _ in range(n)]


def test_faults_are_off_by_default(live: Served):
    assert statuses(live, 6) == [200] * 6


def test_rate_limit_every_nth_with_retry_after(live: Served):
    live.sb.faults = FaultPlan(rate_limit_every=3, rate_limit_retry_after="2")
    responses = [live.get(first=5) for _ in range(6)]
    assert [r.status_code for r in responses] == [200, 200, 429, 200, 200, 429]
    assert responses[2].headers["Retry-After"] == "2"
    assert "detail" in responses[2].json()


@pytest.mark.parametrize("value", ["0", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_retry_after_values_pass_through(live: Served, value):
    live.sb.faults = FaultPlan(rate_limit_every=1, rate_limit_retry_after=value)
    assert live.get().headers["Retry-After"] == value


def test_rate_limit_bursts(live: Served):
    live.sb.faults = FaultPlan(rate_limit_every=4, rate_limit_burst=3)
    assert statuses(live, 8) == [200, 200, 200, 429, 429, 429, 200, 429]


def test_sustained_rate_limit(live: Served):
    live.sb.faults = FaultPlan(rate_limit_for_seconds=0.4)
    assert statuses(live, 3) == [429] * 3
    time.sleep(0.45)
    assert statuses(live, 2) == [200, 200]


def test_errors_cycle_through_statuses_and_bodies(live: Served):
    live.sb.faults = FaultPlan(error_every=2)
    responses = [live.get(first=5) for _ in range(8)]
    assert [r.status_code for r in responses] == [200, 500, 200, 502, 200, 503, 200, 500]
    assert responses[1].json() == {"detail": "Internal Server Error"}
    assert responses[3].headers["content-type"].startswith("text/html")
    assert "<html>" in responses[3].text
    with pytest.raises(ValueError):
        responses[5].json()


def test_latency_overlaps_between_concurrent_requests(live: Served):
    live.sb.faults = FaultPlan(latency_ms=300)
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda _: requests.get(live.base_url + PATH).status_code, range(4)))
    elapsed = time.perf_counter() - started
    assert codes == [401] * 4  # latency applies before auth, like a slow network
    assert 0.3 <= elapsed < 1.1  # one after the other would take 1.2 s


def test_truncated_body_is_an_incomplete_read(live: Served):
    live.sb.faults = FaultPlan(cut_off_every=2)
    assert live.get(first=50).status_code == 200
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        live.get(first=50)
    assert live.get(first=50).json()["items"]  # the next request is fine again


def test_truncated_body_seen_raw_is_invalid_json(live: Served):
    live.sb.faults = FaultPlan(cut_off_every=1)
    response = live.http.get(
        live.base_url + PATH,
        params={"first": 50},
        headers={"Authorization": f"Bearer {live.sb.api_key}"},
        stream=True,
    )
    declared = int(response.headers["content-length"])
    chunks = []
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        chunks.extend(response.iter_content(1024))
    body = b"".join(chunks)
    assert 0 < len(body) < declared
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(body)


def test_not_json_body_is_a_complete_200(live: Served):
    live.sb.faults = FaultPlan(cut_off_every=1, cut_off_mode="not_json")
    response = live.get(first=5)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    with pytest.raises(ValueError):
        response.json()


def test_cut_off_leaves_errors_alone(live: Served):
    live.sb.faults = FaultPlan(cut_off_every=1)
    response = live.get(first=0)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "first"]


def test_reset_drops_the_connection_without_response(live: Served):
    live.sb.faults = FaultPlan(reset_every=2)
    assert live.get().status_code == 200
    with pytest.raises(requests.exceptions.ConnectionError):
        live.get()
    assert live.get().status_code == 200


def test_slow_request_outlasts_a_read_timeout(live: Served):
    live.sb.faults = FaultPlan(slow_every=1, slow_seconds=2.0)
    started = time.perf_counter()
    with pytest.raises(requests.exceptions.ReadTimeout):
        live.http.get(live.base_url + PATH, timeout=(2, 0.3))
    assert time.perf_counter() - started < 1.5
    # leaving the fixture while the stalled request sleeps must not hang


@pytest.mark.parametrize(
    ("kind", "check"),
    [
        ("missing_session_id", lambda i: "session_id" not in i),
        ("null_session_id", lambda i: i["session_id"] is None),
        ("string_updated_at", lambda i: isinstance(i["updated_at"], str)),
        ("float_updated_at", lambda i: isinstance(i["updated_at"], float)),
        ("missing_updated_at", lambda i: "updated_at" not in i),
        ("string_acus_consumed", lambda i: isinstance(i["acus_consumed"], str)),
    ],
)
def test_malformed_item(live: Served, kind, check):
    visible = live.sb.data.visible(live.sb.clock, include_deleted_orgs=False)
    target = visible[3]
    live.sb.faults = FaultPlan(malformed={"session_id": target["session_id"], "kind": kind})
    items = live.get(first=10).json()["items"]
    assert check(items[3])
    assert items[:3] + items[4:] == visible[:3] + visible[4:10]


def test_move_clock_per_page_moves_data_during_pagination(live: Served):
    sb = live.sb
    sb.clock = sb.data.start + 3 * 86_400
    start = sb.clock
    sb.faults = FaultPlan(move_clock_per_page=3600)
    items = live.walk(first=50, include_deleted_orgs="true")
    pages = len(sb.requests)
    assert sb.clock == start + 3600 * pages
    # later pages were read at later clocks: some sessions were skipped or seen in a stale state
    final = {i["session_id"]: i for i in sb.data.visible(sb.clock)}
    assert any(final[i["session_id"]] != i for i in items) or len(items) != len(final)


def test_repeat_cursor_never_ends(live: Served):
    live.sb.faults = FaultPlan(broken_pagination="repeat_cursor")
    first = live.get(first=5).json()
    again = live.get(first=5, after=first["end_cursor"]).json()
    third = live.get(first=5, after=again["end_cursor"]).json()
    assert first["end_cursor"] == again["end_cursor"] == third["end_cursor"]
    assert again["items"] == third["items"] and again["has_next_page"] is True


def test_no_cursor_claims_more_pages(live: Served):
    live.sb.faults = FaultPlan(broken_pagination="no_cursor")
    body = live.get(first=5).json()
    assert body["has_next_page"] is True
    assert body["end_cursor"] is None


def test_endless_pagination_keeps_issuing_cursors(live: Served):
    live.sb.faults = FaultPlan(broken_pagination="endless")
    after, seen = None, set()
    for _ in range(8):
        body = live.get(first=200, **({"after": after} if after else {})).json()
        assert body["has_next_page"] is True
        assert body["end_cursor"] not in seen
        seen.add(after := body["end_cursor"])
    assert body["items"] == []  # past the data, still "more"


def test_faults_count_only_session_requests(live: Served):
    live.sb.faults = FaultPlan(error_every=2)
    for _ in range(3):
        assert requests.get(live.base_url + "/_sandbox/state", timeout=5).status_code == 200
    assert statuses(live, 2) == [200, 500]


def test_setting_a_plan_restarts_its_count(live: Served):
    statuses(live, 5)
    live.sb.faults = FaultPlan(error_every=3)
    assert statuses(live, 3) == [200, 200, 500]


@pytest.mark.parametrize(
    "bad",
    [
        {"error_every": 0},
        {"cut_off_mode": "sideways"},
        {"broken_pagination": "loop"},
        {"malformed": {"session_id": "x", "kind": "weird"}},
        {"rate_limit_burst": 0},
    ],
)
def test_invalid_plans_are_refused(bad):
    with pytest.raises(ValueError):
        FaultPlan(**bad)
