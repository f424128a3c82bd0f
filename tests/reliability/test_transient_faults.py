"""Transient API faults are retried by the client and leave the tables a clean run leaves.

Each faulted run is a real materialization against the sandbox; its tables are compared, without
`fetched_at`, to a clean run of the same days into another DuckDB file. Request arrival times
(the sandbox's log, stamped) show that waits honour Retry-After and that retries back off.
Schema errors, broken pagination and 401/403 are covered in tests/resources/test_devin_api.py
and tests/assets/test_session_snapshots.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from devin_pipeline.sandbox import FaultPlan
from devin_pipeline.settings import Settings
from tests.conftest import START, SnapshotRunner
from tests.reliability.conftest import RUN_STAMPS, SEQUENTIAL, fresh, query, step_error, table_state

FIRST, LAST = "2024-06-02", "2024-06-03"
PAGE = {"page_size": 10}  # ~15 pages a day, so faults land in the middle of walks
BACKOFF = 0.05


@dataclass(frozen=True)
class Clean:
    """The reference: what a fault-free run of FIRST..LAST writes, and how many requests."""

    path: Path
    state: dict[str, list[tuple]]
    requests: int


@pytest.fixture(scope="module")
def clean(module_live, module_instance, tmp_path_factory) -> Clean:
    path = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    log = fresh(module_live)
    runner = SnapshotRunner(module_live, path, module_instance)
    assert runner.run(FIRST, LAST, settings=SEQUENTIAL, **PAGE).success
    return Clean(path, table_state(path, exclude=RUN_STAMPS), len(log))


def faulted(index: int, every: int) -> bool:
    """Whether the sandbox faulted request `index` (0-based) of an "every N" plan."""
    return (index + 1) % every == 0


# case: (plan, its "every N", client overrides)
TRANSIENT = {
    # error_statuses cycle 500 (JSON), 502 (a proxy's HTML page), 503 (plain text).
    "500-502-503": (FaultPlan(error_every=4), 4, {}),
    "connection-reset": (FaultPlan(reset_every=4), 4, {}),
    "read-timeout": (FaultPlan(slow_every=6, slow_seconds=5), 6, {"read_timeout": 0.3}),
    "cut-off-body": (FaultPlan(cut_off_every=4), 4, {}),
    "not-json-body": (FaultPlan(cut_off_every=4, cut_off_mode="not_json"), 4, {}),
    "429-without-retry-after": (FaultPlan(rate_limit_every=4, rate_limit_retry_after=None), 4, {}),
}


@pytest.mark.parametrize("case", TRANSIENT)
def test_transient_faults_are_retried_with_backoff_to_the_same_tables(
    runner, clean, module_live, case
):
    plan, every, overrides = TRANSIENT[case]
    log = fresh(module_live, plan)
    result = runner.run(
        FIRST, LAST, settings=SEQUENTIAL, initial_backoff=BACKOFF, **PAGE, **overrides
    )
    assert result.success
    assert table_state(runner.duckdb_path, exclude=RUN_STAMPS) == clean.state
    hits = [i for i in range(len(log)) if faulted(i, every)]
    assert len(log) == clean.requests + len(hits), "each fault costs exactly one retry"
    assert len(hits) >= 3, "every status of the 500/502/503 cycle was served"
    # A timed-out request's gap holds the read timeout too, less the few ms of its sending.
    floor = BACKOFF + 0.9 * overrides.get("read_timeout", 0.0)
    assert min(log.gaps_after(hits)) >= floor, "retries wait for their backoff"


def test_429_retry_after_seconds_are_waited_as_told(runner, clean, module_live):
    every = clean.requests // 2  # two 429s land in the run, whatever its request count
    log = fresh(module_live, FaultPlan(rate_limit_every=every, rate_limit_retry_after="2"))
    started = time.monotonic()
    result = runner.run(FIRST, LAST, settings=SEQUENTIAL, **PAGE)
    elapsed = time.monotonic() - started
    assert result.success
    assert table_state(runner.duckdb_path, exclude=RUN_STAMPS) == clean.state
    limited = [i for i in range(len(log)) if faulted(i, every)]
    gaps = log.gaps_after(limited)
    assert len(gaps) == 2 and all(2.0 <= gap < 4.0 for gap in gaps), gaps
    assert elapsed < 2 * 2.0 + 15.0, "no more waiting than the API asked for"


def test_429_retry_after_http_date_is_waited_until_that_moment(runner, clean, module_live):
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=6)
    plan = FaultPlan(rate_limit_every=8, rate_limit_retry_after=format_datetime(moment, True))
    log = fresh(module_live, plan)
    result = runner.run(FIRST, LAST, settings=SEQUENTIAL, **PAGE)
    assert result.success
    assert table_state(runner.duckdb_path, exclude=RUN_STAMPS) == clean.state
    limited = [i for i in range(len(log)) if faulted(i, 8)]
    first = limited[0]
    told = moment.timestamp() - log.wall[first]
    assert told > 0.5, "the first 429 came well before the date, so a wait is due"
    assert log.gaps_after([first])[0] >= told - 0.05
    later = log.gaps_after(limited[1:])
    assert later and max(later) < 1.5, "a date already past means no wait beyond the backoff"


def test_429_retry_after_zero_backs_off_instead_of_looping(runner, clean, module_live):
    """Four 429s in a row saying 'Retry-After: 0': the backoff floor grows, requests stay few."""
    every = clean.requests * 3 // 4  # one burst, late in the run, whatever its requests
    plan = FaultPlan(rate_limit_every=every, rate_limit_burst=4, rate_limit_retry_after="0")
    log = fresh(module_live, plan)
    result = runner.run(
        FIRST, LAST, settings=SEQUENTIAL, initial_backoff=0.1, max_backoff=2.0, **PAGE
    )
    assert result.success
    assert table_state(runner.duckdb_path, exclude=RUN_STAMPS) == clean.state
    burst = [every - 1, every, every + 1, every + 2]
    assert len(log) == clean.requests + len(burst), "one request per backoff, no tight loop"
    gaps = log.gaps_after(burst)
    assert all(gap >= 0.1 * 2**n for n, gap in enumerate(gaps)), gaps


@pytest.mark.parametrize("retry_after", ["1", "30"])
def test_sustained_rate_limiting_fails_clearly_within_the_wait_bound(
    runner, module_live, retry_after
):
    """Retry-After 1: the 3 s bound is spent, then the run stops. 30: beyond it, stop at once
    (no thread may sleep out a pause the run can no longer afford)."""
    log = fresh(
        module_live, FaultPlan(rate_limit_for_seconds=600, rate_limit_retry_after=retry_after)
    )
    parallel = Settings(partitions_start=START, concurrency=2)
    started = time.monotonic()
    result = runner.run("2024-06-02", "2024-06-05", settings=parallel, max_retry_wait=3.0)
    elapsed = time.monotonic() - started
    assert not result.success
    error = step_error(result)
    assert error.cls_name == "RetryBudgetExhausted"
    assert "429" in error.message and "DEVIN_API_MAX_RETRY_WAIT" in error.message
    assert elapsed < 3.0 + 10.0, f"took {elapsed:.1f}s for a 3 s bound"
    assert len(log) <= 2 * 8, "at most max_attempts per concurrent request"
    assert runner.rows() == []


def test_unknown_fields_and_enum_values_are_kept_as_strings_and_in_raw(clean, sandbox_data):
    """The sandbox serves undocumented values of `origin` (code_scan), `status` (blocked),
    `status_detail` and `category` (incident_response), and an undocumented `is_advanced`
    field; none is refused, and all of them are stored."""
    sql = """
        SELECT origin, status_detail, raw->>'origin', raw->>'status_detail',
               json_exists(raw, '$.is_advanced'),
               status, category, raw->>'status', raw->>'category'
        FROM devin.session_snapshots
    """
    rows = query(clean.path, sql)
    assert len(rows) == len(clean.state["devin.session_snapshots"])
    assert all(r[0] == r[2] and r[1] == r[3] for r in rows), "typed columns equal raw"
    assert all(r[5] == r[7] and r[6] == r[8] for r in rows), "typed columns equal raw"
    assert any(r[0] == "code_scan" for r in rows)
    assert any(r[5] == "blocked" for r in rows)
    assert any(r[6] == "incident_response" for r in rows)
    assert {"user_usage_limit_exceeded", "contract_expired"} & {r[1] for r in rows}
    assert sum(r[4] for r in rows) > 10, "the undocumented is_advanced field stays in raw"
    types = query(
        clean.path,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'session_snapshots' "
        "AND column_name IN ('status', 'status_detail', 'origin', 'category')",
    )
    assert dict(types) == dict.fromkeys(
        ("category", "origin", "status", "status_detail"), "VARCHAR"
    )
