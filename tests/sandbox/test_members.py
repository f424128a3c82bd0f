"""The members endpoints over real HTTP: direct, IdP and service users, filters, cursors."""

from __future__ import annotations

import pytest

from devin_pipeline.sandbox.vocab import IDP_USERS_PATH, SERVICE_USERS_PATH, USERS_PATH

from .conftest import Served


@pytest.fixture
def live(serve) -> Served:
    return serve()


def by_id(items, key="user_id"):
    return {i[key]: i for i in items}


def test_direct_and_idp_lists_page_like_sessions(live: Served):
    truth, clock = live.sb.data.enterprise, live.sb.clock
    users = live.walk(path=USERS_PATH, first=3)
    idp = live.walk(path=IDP_USERS_PATH, first=2)
    assert users == truth.users(clock) and len(users) > 6
    assert idp == truth.idp_users(clock) and len(idp) > 4
    for items in (users, idp):
        assert [i["user_id"] for i in items] == sorted(i["user_id"] for i in items)
    assert set(users[0]) == {"user_id", "email", "name", "role_assignments"}
    assert set(idp[0]) == {"user_id", "email", "name", "idp_role_assignments"}
    assert set(idp[0]["idp_role_assignments"][0]) == {"idp_group_name", "role", "org_id"}


def test_people_are_split_over_the_lists_and_some_left(live: Served):
    data, clock = live.sb.data, live.sb.clock
    direct = by_id(live.walk(path=USERS_PATH, first=200))
    idp = by_id(live.walk(path=IDP_USERS_PATH, first=200))
    both = direct.keys() & idp.keys()
    assert both and direct.keys() - idp.keys() and idp.keys() - direct.keys()
    for user_id in both:
        assert direct[user_id]["role_assignments"] != idp[user_id]["idp_role_assignments"]
    named = {i["user_id"] for i in data.visible(clock) if i["user_id"]}
    left = set(data.enterprise.left_user_ids)
    assert left and left <= named
    assert not left & (direct.keys() | idp.keys())
    assert named - left <= direct.keys() | idp.keys()
    assert set(data.enterprise.sessionless_ids) & (direct.keys() | idp.keys())


def test_roles_follow_the_orgs_of_their_sessions(live: Served):
    data, clock = live.sb.data, live.sb.clock
    direct = live.walk(path=USERS_PATH, first=200)
    listed_orgs = {o["org_id"] for o in data.enterprise.organizations(clock)}
    session_orgs: dict[str, set[str]] = {}
    for version in data.all_versions():
        session_orgs.setdefault(version["user_id"], set()).add(version["org_id"])
    roles = [a for u in direct for a in u["role_assignments"]]
    assert {"enterprise", "org"} == {a["role"]["role_type"] for a in roles}
    assert all(a["org_id"] is None for a in roles if a["role"]["role_type"] == "enterprise")
    for user in direct:
        orgs = {a["org_id"] for a in user["role_assignments"]} - {None}
        assert orgs <= listed_orgs
        assert orgs <= session_orgs.get(user["user_id"], set()) | {data.enterprise.extra_org_id}


def test_names_and_emails_are_realistic(live: Served):
    people = live.walk(path=USERS_PATH, first=200) + live.walk(path=IDP_USERS_PATH, first=200)
    assert any(p["name"] and not p["name"].isascii() for p in people)
    assert any(p["email"] is None for p in people)
    emails = [p["email"] for p in by_id(people).values() if p["email"]]
    assert len(emails) == len(set(emails))


def test_email_filter_is_exact_and_binds_the_cursor(live: Served):
    truth, clock = live.sb.data.enterprise, live.sb.clock
    person = next(p for p in truth.idp_users(clock) if p["email"])
    body = live.get(path=IDP_USERS_PATH, email=person["email"]).json()
    assert body == {"items": [person], "end_cursor": None, "has_next_page": False, "total": 1}
    upper = live.get(path=IDP_USERS_PATH, email=person["email"].upper()).json()
    assert upper["items"] == [] and upper["total"] == 0
    cursor = live.get(path=USERS_PATH, first=2).json()["end_cursor"]
    assert live.get(path=USERS_PATH, first=2, after=cursor).status_code == 200
    assert live.get(path=USERS_PATH, first=2, after=cursor, email="x@y").status_code == 400
    assert live.get(path=IDP_USERS_PATH, first=2, after=cursor).status_code == 400


def test_a_newcomer_is_listed_from_the_day_they_joined(live: Served):
    sb = live.sb
    sb.clock = sb.data.start
    early = by_id(live.walk(path=USERS_PATH, first=200))
    sb.clock = sb.data.end
    late = by_id(live.walk(path=USERS_PATH, first=200))
    assert len(late.keys() - early.keys()) == 1


def test_expired_service_users_only_with_include_inactive(live: Served):
    sb, truth = live.sb, live.sb.data.enterprise
    active = live.walk(path=SERVICE_USERS_PATH, first=2)
    everyone = live.walk(path=SERVICE_USERS_PATH, first=2, include_inactive="true")
    assert active == truth.service_users(sb.clock)
    assert everyone == truth.service_users(sb.clock, include_inactive=True)
    assert live.walk(path=SERVICE_USERS_PATH, first=3, include_inactive="false") == active
    expired = [s for s in everyone if s not in active]
    assert expired and all(s["expires_at"] <= sb.clock for s in expired)
    assert any(s["expires_at"] is None for s in active)
    assert any(s["expires_at"] is not None and s["expires_at"] > sb.clock for s in active)
    named = {i["service_user_id"] for i in sb.data.visible(sb.clock) if i["service_user_id"]}
    assert named <= {s["service_user_id"] for s in everyone}
    sb.clock = sb.data.start
    assert len(live.walk(path=SERVICE_USERS_PATH, first=200)) == len(everyone)


def test_include_inactive_binds_the_cursor_and_validates(live: Served):
    cursor = live.get(path=SERVICE_USERS_PATH, first=2).json()["end_cursor"]
    again = live.get(path=SERVICE_USERS_PATH, first=2, after=cursor, include_inactive="true")
    assert again.status_code == 400
    bad = live.get(path=SERVICE_USERS_PATH, include_inactive="maybe")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "include_inactive"]
