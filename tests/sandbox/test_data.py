"""SandboxData: deterministic, realistic on docs/api.md's points, consistent with itself."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

import numpy as np
import orjson
import pytest

from devin_pipeline.sandbox import SandboxData
from devin_pipeline.sandbox import data as data_module

START = date(2024, 6, 1)


@pytest.fixture(scope="module")
def data() -> SandboxData:
    return SandboxData.generate(sessions=2000, seed=7, start=START, days=14)


@pytest.fixture(scope="module")
def versions(data):
    return data.all_versions()


def by_session(versions):
    return {sid: list(vs) for sid, vs in itertools.groupby(versions, key=lambda v: v["session_id"])}


def test_same_seed_same_data():
    one = SandboxData.generate(sessions=300, seed=3, start=START, days=5)
    two = SandboxData.generate(sessions=300, seed=3, start=START, days=5)
    other = SandboxData.generate(sessions=300, seed=4, start=START, days=5)
    assert one.all_versions() == two.all_versions()
    assert one.all_versions() != other.all_versions()


def test_window_and_end(data, versions):
    assert data.end == data.start + 14 * 86_400
    assert data.start == 1717200000  # 2024-06-01T00:00:00Z
    created = [v["created_at"] for v in versions]
    assert data.start <= min(created) and max(created) < data.end
    assert any(v["updated_at"] > data.end for v in versions)  # the future exists


def test_all_versions_sorted_and_complete(data, versions):
    keys = [(v["session_id"], v["updated_at"]) for v in versions]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys) == data.version_count
    sessions = by_session(versions)
    assert len(sessions) == data.session_count
    assert all(2 <= len(vs) <= 8 for vs in sessions.values())


def test_each_session_evolves_consistently(versions):
    pr_owner: dict[str, str] = {}
    for sid, vs in by_session(versions).items():
        assert sid.startswith("devin-") and len(sid) == 38
        assert len({v["created_at"] for v in vs}) == 1
        assert vs[0]["updated_at"] >= vs[0]["created_at"]
        acus = [v["acus_consumed"] for v in vs]
        assert acus == sorted(acus) and all(round(a, 2) == a for a in acus)
        states: dict[str, list[str]] = {}
        for v in vs:
            assert v["url"].endswith(sid.removeprefix("devin-"))
            for pr in v["pull_requests"]:
                assert pr_owner.setdefault(pr["pr_url"], sid) == sid
                states.setdefault(pr["pr_url"], []).append(pr["pr_state"])
        for seq in states.values():
            assert seq[0] == "open" and len(set(seq[seq.index(seq[-1]) :])) == 1
            assert set(seq) <= {"open", "merged", "closed"} and len(set(seq)) <= 2


def test_types_match_the_documented_schema(versions):
    for v in versions[:3000]:
        assert isinstance(v["created_at"], int) and isinstance(v["updated_at"], int)
        assert isinstance(v["acus_consumed"], float)
        assert isinstance(v["tags"], list) and isinstance(v["pull_requests"], list)
        assert v["child_session_ids"] is None or isinstance(v["child_session_ids"], list)
        assert isinstance(v["is_archived"], bool)
        assert (v["user_id"] is None) != (v["service_user_id"] is None)


def test_day_edges_exist(data, versions):
    in_range = [v["updated_at"] for v in versions if data.start <= v["updated_at"] < data.end]
    assert sum(t % 86_400 == 0 for t in in_range) >= 5
    assert sum(t % 86_400 == 86_399 for t in in_range) >= 5
    current = [v["updated_at"] % 86_400 for v in data.visible(data.end)]
    assert current.count(0) >= 3 and current.count(86_399) >= 3


def test_realistic_variety(data, versions):
    sessions = by_session(versions)
    origins = Counter(v["origin"] for v in versions)
    details = Counter(v["status_detail"] for v in versions)
    assert "code_scan" in origins and len(origins) == 12
    assert {"user_usage_limit_exceeded", "contract_expired"} <= set(details)
    assert {v["status"] for v in versions} == {
        "new", "claimed", "running", "exit", "error", "suspended", "resuming", "blocked",
    }  # fmt: skip
    assert "incident_response" in {v["category"] for v in versions}  # undocumented too
    first_null = sum(vs[0]["category"] is None for vs in sessions.values()) / len(sessions)
    assert 0.1 < first_null < 0.3
    assert any(vs[0]["category"] is None and vs[-1]["category"] for vs in sessions.values())
    assert any(len({v["org_id"] for v in vs}) > 1 for vs in sessions.values())
    assert any("is_advanced" in v for v in versions) and any(
        "is_advanced" not in v for v in versions
    )
    outputs = {repr(v["structured_output"])[:1] for v in versions}
    assert {"N", "{"} <= outputs and any(v["structured_output"] == {} for v in versions)
    assert any(v["is_archived"] for v in versions)
    assert any(v["parent_session_id"] for v in versions)
    assert any(v["child_session_ids"] for v in versions)
    assert any(v["playbook_id"] for v in versions)
    assert {pr["pr_state"] for v in versions for pr in v["pull_requests"]} == {
        "open", "merged", "closed",
    }  # fmt: skip
    assert len(data.org_ids) >= 6 and len(data.deleted_org_ids) == 2


def test_service_origins_have_service_users(versions):
    for v in versions:
        automated = v["origin"] in ("api", "automation", "scheduled", "code_scan")
        assert (v["service_user_id"] is not None) == automated


@pytest.mark.parametrize("offset_days", [-20, 0.5, 3.25, 14, 15, 40])
def test_visible_is_the_latest_version_at_the_clock(data, versions, offset_days):
    clock = data.start + int(offset_days * 86_400)
    expected = []
    for vs in by_session(versions).values():
        current = [v for v in vs if v["updated_at"] <= clock]
        if current:
            expected.append(current[-1])
    expected.sort(key=lambda v: (-v["created_at"], v["session_id"]))
    assert data.visible(clock) == expected


def test_visible_window_is_half_open(data):
    day = data.start + 2 * 86_400
    window = data.visible(data.end, day, day + 86_400)
    assert window == [v for v in data.visible(data.end) if day <= v["updated_at"] < day + 86_400]
    hidden = data.visible(data.end, day, day + 86_400, include_deleted_orgs=False)
    assert hidden == [v for v in window if v["org_id"] not in data.deleted_org_ids]


def test_schedules_belong_to_scheduled_sessions(data):
    for v in data.visible(data.end)[:500]:
        assert (data.schedule_id_of(v["session_id"]) is not None) == (v["origin"] == "scheduled")
    assert data.schedule_id_of("devin-nope") is None


def test_invalid_sizes_are_refused():
    with pytest.raises(ValueError):
        SandboxData.generate(sessions=0)


def test_a_page_that_overflows_the_item_cache_still_gets_every_item(monkeypatch):
    """The cache is cleared when full; items of the same page cached before are rebuilt."""
    data = SandboxData.generate(sessions=20, days=1)
    monkeypatch.setattr(data_module, "_BYTES_CACHE", 5)
    data.item_bytes(np.arange(4))
    page = np.arange(2, 7)
    assert [orjson.loads(b) for b in data.item_bytes(page)] == data.items(page)
