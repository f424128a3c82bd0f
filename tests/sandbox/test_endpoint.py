"""The sessions endpoint over real HTTP: auth, validation, filters, cursors, bounds, clock."""

from __future__ import annotations

import pytest

from devin_pipeline.sandbox import SANDBOX_API_KEY, SANDBOX_NO_PERMISSION_KEY
from devin_pipeline.sandbox.cursor import encode_cursor
from devin_pipeline.sandbox.pages import ListParams

from .conftest import PATH, Served

AUTH = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}


def api_order(items):
    return sorted(items, key=lambda i: (-i["created_at"], i["session_id"]))


def ids(items):
    return [i["session_id"] for i in items]


def test_missing_or_wrong_key_is_401(served: Served):
    for key in (None, "cog_wrong"):
        response = served.get(key=key)
        assert response.status_code == 401
        assert isinstance(response.json()["detail"], str)
    raw = served.http.get(served.base_url + PATH, headers={"Authorization": "Basic x"})
    assert raw.status_code == 401


def test_key_without_permission_is_403(served: Served):
    response = served.get(key=SANDBOX_NO_PERMISSION_KEY)
    assert response.status_code == 403
    assert "ViewAccountSessions" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "loc", "kind"),
    [
        ({"first": 0}, ["query", "first"], "greater_than_equal"),
        ({"first": 201}, ["query", "first"], "less_than_equal"),
        ({"first": "ten"}, ["query", "first"], "int_parsing"),
        ({"updated_after": "1.5"}, ["query", "updated_after"], "int_parsing"),
        ({"created_before": "2024-06-01"}, ["query", "created_before"], "int_parsing"),
        ({"origins": ["webapp", "code_scan"]}, ["query", "origins", 1], "enum"),
        ({"category": "gardening"}, ["query", "category"], "enum"),
        ({"include_deleted_orgs": "maybe"}, ["query", "include_deleted_orgs"], "bool_parsing"),
    ],
)
def test_invalid_parameters_are_422_in_fastapi_shape(served: Served, params, loc, kind):
    response = served.get(**params)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == loc
    assert error["type"] == kind
    assert {"msg", "input"} <= set(error)


def test_first_bounds_are_accepted(served: Served):
    assert len(served.get(first=1).json()["items"]) == 1
    assert len(served.get(first=200).json()["items"]) == 200


def test_default_page_size_and_response_shape(served: Served):
    body = served.get(include_deleted_orgs="true").json()
    assert len(body["items"]) == 100
    assert body["has_next_page"] is True
    assert isinstance(body["end_cursor"], str)
    assert "total" not in body  # unfiltered queries omit the optional total


def test_walk_covers_everything_once_in_api_order(served: Served):
    data, clock = served.sb.data, served.sb.clock
    items = served.walk(first=7, include_deleted_orgs="true")
    assert items == data.visible(clock)
    assert len(set(ids(items))) == len(items) == data.session_count
    assert items == api_order(items)


def test_deleted_orgs_are_hidden_by_default(served: Served):
    data = served.sb.data
    deleted = set(data.deleted_org_ids)
    everything = data.visible(served.sb.clock)
    default = served.walk(first=200)
    assert default == [i for i in everything if i["org_id"] not in deleted]
    assert len(default) < len(everything)
    assert served.walk(first=200, include_deleted_orgs="false") == default


def _expectations(data, clock):
    """(query params, predicate on an item) for every filter, from the data's own knowledge."""
    items = data.visible(clock)
    some = items[::37][:4]
    two_orgs = data.org_ids[:2]
    users = sorted({i["user_id"] for i in items if i["user_id"]})[:3]
    services = sorted({i["service_user_id"] for i in items if i["service_user_id"]})[:2]
    playbook = next(i["playbook_id"] for i in items if i["playbook_id"])
    scheduled = next(i for i in items if i["origin"] == "scheduled")
    schedule = data.schedule_id_of(scheduled["session_id"])
    return [
        ({"session_ids": ids(some)}, lambda i: i["session_id"] in ids(some)),
        ({"tags": ["urgent", "docs"]}, lambda i: {"urgent", "docs"} & set(i["tags"])),
        ({"playbook_id": playbook}, lambda i: i["playbook_id"] == playbook),
        ({"origins": ["slack", "api"]}, lambda i: i["origin"] in ("slack", "api")),
        ({"schedule_id": schedule}, lambda i: data.schedule_id_of(i["session_id"]) == schedule),
        ({"user_ids": users}, lambda i: i["user_id"] in users),
        ({"service_user_ids": services}, lambda i: i["service_user_id"] in services),
        ({"category": "bug_fixing"}, lambda i: i["category"] == "bug_fixing"),
        ({"org_ids": list(two_orgs)}, lambda i: i["org_id"] in two_orgs),
    ]


def test_every_filter_filters(served: Served):
    data, clock = served.sb.data, served.sb.clock
    everything = data.visible(clock)
    for params, keep in _expectations(data, clock):
        got = served.walk(first=50, include_deleted_orgs="true", **params)
        expected = [i for i in everything if keep(i)]
        assert got == expected, params
        assert 0 < len(got) < len(everything), params


def test_unknown_filter_values_match_nothing(served: Served):
    for params in ({"org_ids": "org-nope"}, {"session_ids": "devin-zz"}, {"tags": "nope"}):
        body = served.get(include_deleted_orgs="true", **params).json()
        assert body == {"items": [], "end_cursor": None, "has_next_page": False, "total": 0}


def test_total_is_sometimes_null(served: Served):
    first = served.get(first=10, category="bug_fixing", include_deleted_orgs="true").json()
    expected = [i for i in served.sb.data.visible(served.sb.clock) if i["category"] == "bug_fixing"]
    assert first["total"] == len(expected)
    second = served.get(
        first=10, category="bug_fixing", include_deleted_orgs="true", after=first["end_cursor"]
    ).json()
    assert "total" in second
    assert second["total"] is None


def test_cursor_needs_url_encoding(served: Served):
    cursor = served.get(first=5).json()["end_cursor"]
    assert {"+", "/", "="} <= set(cursor)
    assert served.get(first=5, after=cursor).status_code == 200  # requests encodes it
    raw = served.http.get(f"{served.base_url}{PATH}?first=5&after={cursor}", headers=AUTH)
    assert raw.status_code == 400  # '+' arrives as a space


def test_cursor_is_bound_to_its_query(served: Served):
    cursor = served.get(first=5, category="bug_fixing").json()["end_cursor"]
    assert served.get(first=5, category="bug_fixing", after=cursor).status_code == 200
    for other in ({"first": 6, "category": "bug_fixing"}, {"first": 5}, {"first": 5, "tags": "x"}):
        response = served.get(after=cursor, **other)
        assert response.status_code == 400
        assert "detail" in response.json()


@pytest.mark.parametrize("cursor", ["garbage", "", "+/+/AQAAAA==", "YWJjZA==", "é"])
def test_garbage_cursor_is_400(served: Served, cursor):
    response = served.get(first=5, after=cursor)
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


def test_cursor_past_the_end_is_an_empty_last_page(served: Served):
    far = encode_cursor(10**6, ListParams(first=200).key())
    body = served.get(first=200, after=far).json()
    assert body == {"items": [], "end_cursor": None, "has_next_page": False}


def test_bounds_on_exact_timestamps(served: Served):
    data, clock = served.sb.data, served.sb.clock
    everything = data.visible(clock)
    pivot = everything[len(everything) // 2]
    inclusive = served.sb.bounds == "inclusive"
    for name, field in (("created", "created_at"), ("updated", "updated_at")):
        t = pivot[field]
        after = served.walk(first=200, include_deleted_orgs="true", **{f"{name}_after": t})
        before = served.walk(first=200, include_deleted_orgs="true", **{f"{name}_before": t})
        at = [i for i in everything if i[field] == t]
        assert at and pivot in at
        assert all(i[field] >= t for i in after) and all(i[field] <= t for i in before)
        assert (pivot in after) is inclusive and (pivot in before) is inclusive
        both = served.walk(
            first=200, include_deleted_orgs="true", **{f"{name}_after": t, f"{name}_before": t}
        )
        assert both == (at if inclusive else [])


@pytest.mark.parametrize("second_of_day", [0, 86_399])
def test_day_window_matches_visible(served: Served, second_of_day):
    data, sb = served.sb.data, served.sb
    edge = next(i for i in data.visible(sb.clock) if i["updated_at"] % 86_400 == second_of_day)
    day = edge["updated_at"] - second_of_day
    lo, hi = (day - 1, day + 86_400) if sb.bounds == "exclusive" else (day, day + 86_399)
    got = served.walk(first=100, include_deleted_orgs="true", updated_after=lo, updated_before=hi)
    assert got == data.visible(sb.clock, day, day + 86_400)
    assert edge in got


def test_moving_the_clock_reveals_new_versions(served: Served):
    sb = served.sb
    before = {i["session_id"]: i for i in served.walk(first=200, include_deleted_orgs="true")}
    sb.advance(2 * 86_400)
    after = served.walk(first=200, include_deleted_orgs="true")
    assert after == sb.data.visible(sb.clock)
    changed = [i for i in after if i["updated_at"] != before[i["session_id"]]["updated_at"]]
    assert changed and all(i["updated_at"] > sb.data.end for i in changed)
    sb.clock = sb.data.start + 86_400  # back in time: later sessions do not exist yet
    early = served.walk(first=200, include_deleted_orgs="true")
    assert early and all(i["created_at"] <= sb.clock for i in early)
    assert len(early) < len(after)


def test_requests_are_logged_as_sent(served: Served):
    served.get(first=3, org_ids=["a", "b"], include_deleted_orgs="true")
    path, query, headers = served.sb.requests[-1]
    assert path == PATH
    assert query == [
        ("first", "3"),
        ("org_ids", "a"),
        ("org_ids", "b"),
        ("include_deleted_orgs", "true"),
    ]
    assert headers["authorization"].startswith("Bearer cog_")


def test_other_paths_are_not_the_endpoint(served: Served):
    response = served.http.get(served.base_url + "/v3/enterprise/sessionz", timeout=5)
    assert response.status_code == 404
    assert not served.sb.requests
