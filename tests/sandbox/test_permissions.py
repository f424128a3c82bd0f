"""Every /v3/ endpoint: 401 without a valid key, 403 problem details per missing permission,
and faults that reach (or, with `paths`, spare) each endpoint."""

from __future__ import annotations

import pytest
import requests

from devin_pipeline.sandbox import SANDBOX_NO_PERMISSION_KEY, FaultPlan
from devin_pipeline.sandbox.vocab import (
    CONSUMPTION_PATH,
    IDP_USERS_PATH,
    MANAGE_MEMBERSHIP,
    MANAGE_ORGANIZATIONS,
    ORGANIZATIONS_PATH,
    PERMISSIONS,
    SERVICE_USERS_PATH,
    SESSIONS_PATH,
    USERS_PATH,
    VIEW_CONSUMPTION,
    VIEW_SESSIONS,
)

from .conftest import Served

ENDPOINTS = [
    (SESSIONS_PATH, VIEW_SESSIONS),
    (ORGANIZATIONS_PATH, MANAGE_ORGANIZATIONS),
    (USERS_PATH, MANAGE_MEMBERSHIP),
    (IDP_USERS_PATH, MANAGE_MEMBERSHIP),
    (SERVICE_USERS_PATH, MANAGE_MEMBERSHIP),
    (CONSUMPTION_PATH, VIEW_CONSUMPTION),
]


def endpoints(served: Served) -> list[tuple[str, str]]:
    """Every endpoint, with ids the data knows where the path takes one."""
    data = served.sb.data
    org = data.org_ids[0]
    session = data.visible(served.sb.clock)[0]["session_id"]
    scoped = {
        "organizations": org,
        "users": data.tables.names.users[0],
        "service-users": data.tables.names.service_users[0],
        "sessions": session,
    }
    return [
        *ENDPOINTS,
        (f"{ORGANIZATIONS_PATH}/{data.enterprise.extra_org_id}", MANAGE_ORGANIZATIONS),
        *((f"{CONSUMPTION_PATH}/{k}/{v}", VIEW_CONSUMPTION) for k, v in scoped.items()),
    ]


@pytest.fixture
def live(serve) -> Served:
    return serve()


def test_every_endpoint_answers_with_all_permissions(live: Served):
    for path, _ in endpoints(live):
        assert live.get(path=path).status_code == 200, path


def test_every_endpoint_is_401_without_a_valid_key(live: Served):
    for path, _ in endpoints(live):
        for key in (None, "cog_wrong"):
            response = live.get(key=key, path=path)
            assert response.status_code == 401, path
            assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize("permission", PERMISSIONS)
def test_a_missing_permission_is_403_problem_details(serve, permission):
    live = serve(permissions=frozenset(PERMISSIONS) - {permission})
    for path, needed in endpoints(live):
        response = live.get(path=path)
        if needed != permission:
            assert response.status_code == 200, path
            continue
        assert response.status_code == 403, path
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["title"] == "Forbidden" and body["status"] == 403
        assert permission in body["detail"]
        assert body["instance"] == path
        assert isinstance(body["type"], str)


def test_the_no_permission_key_is_403_everywhere(live: Served):
    for path, needed in endpoints(live):
        response = live.get(key=SANDBOX_NO_PERMISSION_KEY, path=path)
        assert response.status_code == 403
        assert needed in response.json()["detail"]


def test_unknown_permissions_are_refused(small_data):
    from devin_pipeline.sandbox import Sandbox

    with pytest.raises(ValueError, match="ManageBilling"):
        Sandbox(small_data, permissions=frozenset({"ManageBilling"}))


def test_faults_reach_every_endpoint_by_default(live: Served):
    live.sb.faults = FaultPlan(error_every=2, error_statuses=(500,))
    codes = [live.get(path=path).status_code for path, _ in ENDPOINTS]
    assert codes == [500 if k % 2 else 200 for k in range(len(ENDPOINTS))]
    assert [p for p, _, _ in live.sb.requests] == [p for p, _ in ENDPOINTS]


def test_a_plan_restricted_to_paths_spares_the_others(live: Served):
    live.sb.faults = FaultPlan(error_every=1, error_statuses=(500,), paths=(ORGANIZATIONS_PATH,))
    org = live.sb.data.enterprise.extra_org_id
    assert live.get(path=ORGANIZATIONS_PATH).status_code == 500
    assert live.get(path=f"{ORGANIZATIONS_PATH}/{org}").status_code == 500
    assert live.get(path=SESSIONS_PATH).status_code == 200
    assert live.get(path=USERS_PATH).status_code == 200
    live.sb.faults = FaultPlan(reset_every=1, paths=(USERS_PATH,))
    with pytest.raises(requests.exceptions.ConnectionError):
        live.get(path=USERS_PATH)
    assert live.get(path=IDP_USERS_PATH).status_code == 200
    assert len(live.sb.requests) == 6  # logged, faulted or not


def test_paths_can_be_set_over_http(live: Served):
    url = f"{live.base_url}/_sandbox/faults"
    reply = requests.post(url, json={"error_every": 1, "paths": [USERS_PATH]}, timeout=5)
    assert reply.json()["paths"] == [USERS_PATH]
    assert live.get(path=USERS_PATH).status_code >= 500
    assert live.get(path=ORGANIZATIONS_PATH).status_code == 200
