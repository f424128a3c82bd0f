"""The API client against the sandbox over real HTTP: paging, filters, errors, validation."""

from __future__ import annotations

import math

import pytest

from devin_pipeline.resources import DevinAPIError, PaginationError, SchemaError
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.sandbox import SANDBOX_API_KEY, SANDBOX_NO_PERMISSION_KEY, FaultPlan


def all_items(api: DevinAPIResource, **filters) -> list[dict]:
    return [item for page in api.iter_session_pages(**filters) for item in page.items]


def test_walks_every_page_and_returns_each_visible_session_once(live_sandbox, sandbox_data):
    api = live_sandbox.api()
    pages = list(api.iter_session_pages(first=7, include_deleted_orgs=True))
    items = [item for page in pages for item in page.items]
    expected = sandbox_data.visible(live_sandbox.sandbox.clock)
    assert len(pages) == math.ceil(len(expected) / 7) > 20
    assert sorted(i["session_id"] for i in items) == sorted(e["session_id"] for e in expected)
    assert pages[-1].has_next_page is False and pages[-1].end_cursor is None


def test_cursors_that_need_url_encoding_still_page(live_sandbox):
    """Base64 cursors carry + / =; unencoded, the server would read '+' as a space and 400."""
    pages = list(live_sandbox.api().iter_session_pages(first=3, include_deleted_orgs=True))
    cursors = [p.end_cursor for p in pages if p.end_cursor]
    assert any(set(c) & set("+/=") for c in cursors)
    sent = [dict(q).get("after") for _, q, _ in live_sandbox.sandbox.requests]
    assert sent[1:] == cursors


def test_every_filter_reaches_the_api_as_documented(live_sandbox):
    api = live_sandbox.api()
    list(
        api.iter_session_pages(
            first=50,
            session_ids=["s1", "s2"],
            created_after=1,
            created_before=2,
            updated_after=3,
            updated_before=4,
            tags=["a", "b"],
            playbook_id="pb",
            origins=["webapp", "slack"],
            schedule_id="sch",
            user_ids=["u1", "u2"],
            service_user_ids=["su1"],
            category="bug_fixing",
            org_ids=["o1", "o2"],
            include_deleted_orgs=True,
        )
    )
    _, query, headers = live_sandbox.sandbox.requests[-1]
    assert query == [
        ("first", "50"),
        ("session_ids", "s1"),
        ("session_ids", "s2"),
        ("created_after", "1"),
        ("created_before", "2"),
        ("updated_after", "3"),
        ("updated_before", "4"),
        ("tags", "a"),
        ("tags", "b"),
        ("playbook_id", "pb"),
        ("origins", "webapp"),
        ("origins", "slack"),
        ("schedule_id", "sch"),
        ("user_ids", "u1"),
        ("user_ids", "u2"),
        ("service_user_ids", "su1"),
        ("category", "bug_fixing"),
        ("org_ids", "o1"),
        ("org_ids", "o2"),
        ("include_deleted_orgs", "true"),
    ]
    auth = {k.lower(): v for k, v in headers.items()}["authorization"]
    assert auth == f"Bearer {SANDBOX_API_KEY}"


def test_filters_select_what_the_sandbox_says(live_sandbox, sandbox_data):
    visible = sandbox_data.visible(live_sandbox.sandbox.clock)
    org = visible[0]["org_id"]
    got = all_items(live_sandbox.api(), org_ids=[org], include_deleted_orgs=True)
    assert got and {i["org_id"] for i in got} == {org}
    assert len(got) == sum(1 for v in visible if v["org_id"] == org)


def test_401_names_the_variable_and_never_the_key(live_sandbox):
    secret = "cog_wrong_secret_value_42"
    with pytest.raises(DevinAPIError) as caught:
        all_items(live_sandbox.api(api_key=secret))
    message = str(caught.value)
    assert "401" in message and "DEVIN_API_KEY" in message
    assert secret not in message and secret not in repr(caught.value)
    assert len(live_sandbox.sandbox.requests) == 1, "a 401 must not be retried"


def test_403_names_the_permission(live_sandbox):
    with pytest.raises(DevinAPIError) as caught:
        all_items(live_sandbox.api(api_key=SANDBOX_NO_PERMISSION_KEY))
    assert "ViewAccountSessions" in str(caught.value)
    assert SANDBOX_NO_PERMISSION_KEY not in str(caught.value)


@pytest.mark.parametrize("first", [0, 201, -5])
def test_page_size_out_of_range_fails_before_any_request(live_sandbox, first):
    with pytest.raises(ValueError, match=r"1\.\.200"):
        all_items(live_sandbox.api(), first=first)
    with pytest.raises(ValueError, match="DEVIN_API_PAGE_SIZE"):
        live_sandbox.api(page_size=first)
    assert live_sandbox.sandbox.requests == []


@pytest.mark.parametrize(
    "url", ["http://api.devin.ai", "http://10.0.0.5:8080", "ftp://api.devin.ai", "api.devin.ai"]
)
def test_plain_http_to_a_remote_host_is_refused(url):
    with pytest.raises(ValueError, match="DEVIN_API_BASE_URL"):
        DevinAPIResource(api_key="k", base_url=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:1", "http://localhost:2", "http://[::1]:3"])
def test_plain_http_to_loopback_is_allowed(url):
    assert DevinAPIResource(api_key="k", base_url=url).base_url == url


@pytest.mark.parametrize(
    ("kind", "field"),
    [("missing_session_id", "session_id"), ("string_updated_at", "updated_at")],
)
def test_an_item_that_breaks_the_schema_is_named_with_its_field(
    live_sandbox, sandbox_data, kind, field
):
    victim = sandbox_data.visible(live_sandbox.sandbox.clock)[-1]["session_id"]
    live_sandbox.sandbox.faults = FaultPlan(malformed={"session_id": victim, "kind": kind})
    with pytest.raises(SchemaError) as caught:
        all_items(live_sandbox.api(), first=50, include_deleted_orgs=True)
    message = str(caught.value)
    assert f"'{field}'" in message
    assert ("no session_id" in message) if kind == "missing_session_id" else (victim in message)


@pytest.mark.parametrize("mode", ["repeat_cursor", "no_cursor", "endless"])
def test_broken_pagination_fails_within_a_bounded_number_of_requests(live_sandbox, mode):
    live_sandbox.sandbox.faults = FaultPlan(broken_pagination=mode)
    with pytest.raises(PaginationError):
        all_items(live_sandbox.api(max_pages=25), first=5)
    assert len(live_sandbox.sandbox.requests) <= 25
