"""GET /v3/enterprise/organizations and /{org_id} over real HTTP: listing, renames, 404s."""

from __future__ import annotations

import orjson
import pytest

from devin_pipeline.sandbox.listing import ListQuery, render_list
from devin_pipeline.sandbox.vocab import ORGANIZATIONS_PATH

from .conftest import Served

ORGS = ORGANIZATIONS_PATH
DAY = 86_400


@pytest.fixture
def live(serve) -> Served:
    return serve()


def test_listing_pages_through_every_listed_org(live: Served):
    truth = live.sb.data.enterprise
    items = live.walk(path=ORGS, first=2)
    assert items == truth.organizations(live.sb.clock)
    assert len(items) >= 5  # three pages or more at first=2
    assert list(items[0]) == [
        "org_id",
        "name",
        "created_at",
        "updated_at",
        "max_cycle_acu_limit",
        "max_session_acu_limit",
    ]
    assert all(i["created_at"] < live.sb.data.start for i in items)
    assert items == sorted(items, key=lambda i: (i["created_at"], i["org_id"]))


def test_deleted_orgs_are_never_listed_and_one_org_has_no_sessions(live: Served):
    data = live.sb.data
    listed = {i["org_id"] for i in live.walk(path=ORGS, first=200)}
    deleted = set(data.deleted_org_ids)
    assert deleted and not deleted & listed
    assert listed - {data.enterprise.extra_org_id} == set(data.org_ids) - deleted
    named = {i["org_id"] for i in data.visible(live.sb.clock)}
    assert data.enterprise.extra_org_id not in named
    assert deleted <= named  # sessions still name the deleted orgs


def test_names_are_human_and_some_are_not_ascii(live: Served):
    names = [i["name"] for i in live.walk(path=ORGS, first=200)]
    assert not any(n.startswith("org-") for n in names)
    assert any(not n.isascii() for n in names)


def test_renames_appear_as_the_clock_moves(live: Served):
    sb, truth = live.sb, live.sb.data.enterprise
    renamed = truth.renamed_org_ids
    assert len(renamed) >= 3
    sb.clock = sb.data.start
    early = {i["org_id"]: i for i in live.walk(path=ORGS, first=3)}
    sb.clock = sb.data.end
    now = {i["org_id"]: i for i in live.walk(path=ORGS, first=3)}
    sb.advance(2 * DAY)
    later = {i["org_id"]: i for i in live.walk(path=ORGS, first=3)}
    changed_by_end = [o for o in renamed if early[o]["name"] != now[o]["name"]]
    changed_after = [o for o in renamed if now[o]["name"] != later[o]["name"]]
    assert len(changed_by_end) == 2 and len(changed_after) == 1
    for org in changed_by_end:
        assert sb.data.start < now[org]["updated_at"] <= sb.data.end
        assert now[org]["created_at"] == early[org]["created_at"]
    versions = truth.organization_versions()
    assert sum(v.org_id in renamed for v in versions) == 2 * len(renamed)


def test_one_organization_by_id(live: Served):
    truth = live.sb.data.enterprise
    for item in truth.organizations(live.sb.clock):
        response = live.get(path=f"{ORGS}/{item['org_id']}")
        assert response.status_code == 200
        assert response.json() == item


@pytest.mark.parametrize("which", ["deleted", "unknown"])
def test_unknown_or_deleted_org_is_404_problem_details(live: Served, which):
    org_id = live.sb.data.deleted_org_ids[0] if which == "deleted" else "org-nope"
    response = live.get(path=f"{ORGS}/{org_id}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["title"] == "Not Found"
    assert org_id in body["detail"]
    assert body["instance"] == f"{ORGS}/{org_id}"
    assert set(body) == {"type", "title", "status", "detail", "instance"}


def test_cursor_is_bound_to_first_and_path(live: Served):
    cursor = live.get(path=ORGS, first=2).json()["end_cursor"]
    assert live.get(path=ORGS, first=2, after=cursor).status_code == 200
    assert live.get(path=ORGS, first=3, after=cursor).status_code == 400
    other = live.get(path="/v3/enterprise/members/users", first=2, after=cursor)
    assert other.status_code == 400
    assert "detail" in other.json()
    assert live.get(path=ORGS, first=2, after="garbage").status_code == 400


@pytest.mark.parametrize("first", [0, 201, "two"])
def test_first_outside_range_is_fastapi_422(live: Served, first):
    response = live.get(path=ORGS, first=first)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "first"]


def test_total_is_omitted_and_last_page_has_no_cursor(live: Served):
    body = live.get(path=ORGS, first=200).json()
    assert "total" not in body
    assert body["has_next_page"] is False and body["end_cursor"] is None


@pytest.mark.parametrize(
    ("policy", "unfiltered", "filtered"),
    [
        ("sometimes", ["absent", "absent"], [5, None]),
        ("always", [5, 5], [5, 5]),
        ("never", ["absent", "absent"], ["absent", "absent"]),
    ],
)
def test_total_follows_the_sessions_policy(policy, unfiltered, filtered):
    items = [{"n": k} for k in range(5)]
    for filters, expected in (((), unfiltered), ((("email", "a@b"),), filtered)):
        first = ListQuery(ORGS, 2, None, filters)
        page = orjson.loads(render_list(items, first, total=policy))
        second = ListQuery(ORGS, 2, page["end_cursor"], filters)
        pages = [page, orjson.loads(render_list(items, second, total=policy))]
        assert [p.get("total", "absent") for p in pages] == expected


def test_a_deleted_org_is_listed_until_its_deletion(live: Served):
    truth = live.sb.data.enterprise
    org_id = live.sb.data.deleted_org_ids[0]
    gone = truth.deleted_at(org_id)
    before = {o["org_id"] for o in truth.organizations(gone - 1)}
    assert org_id in before and org_id not in {o["org_id"] for o in truth.organizations(gone)}
    live.sb.clock = gone - 1
    listed = {item["org_id"] for item in live.walk(path="/v3/enterprise/organizations", first=3)}
    assert org_id in listed
