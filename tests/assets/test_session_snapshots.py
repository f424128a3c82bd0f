"""`devin/session_snapshots` materialized for real: sandbox over HTTP, DuckDB file, Dagster."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import dagster as dg
import pytest

from devin_pipeline.partitions import day_bounds
from devin_pipeline.sandbox import FaultPlan
from devin_pipeline.settings import Settings
from tests.conftest import START


def expected_keys(sandbox_data, clock: int, day: str) -> set[tuple[str, int]]:
    start, end = day_bounds(date.fromisoformat(day))
    return {(v["session_id"], v["updated_at"]) for v in sandbox_data.visible(clock, start, end)}


def test_a_partition_holds_exactly_the_days_versions(snapshot_runner, sandbox_data):
    result = snapshot_runner.run("2024-06-03")
    assert result.success
    clock = snapshot_runner.live.sandbox.clock
    keys = snapshot_runner.version_keys("2024-06-03")
    assert keys == expected_keys(sandbox_data, clock, "2024-06-03") and len(keys) > 20
    mat = result.asset_materializations_for_node("devin__session_snapshots")[0]
    assert mat.metadata["dagster/row_count"].value == len(keys)
    assert mat.metadata["new_versions"].value == len(keys)


def test_typed_columns_and_raw_keep_what_the_api_sent(snapshot_runner, sandbox_data):
    snapshot_runner.run("2024-06-04")
    clock = snapshot_runner.live.sandbox.clock
    start, end = day_bounds(date(2024, 6, 4))
    sent = {v["session_id"]: v for v in sandbox_data.visible(clock, start, end)}
    rows = snapshot_runner.rows(
        "SELECT session_id, CAST(raw AS VARCHAR), acus_consumed, tags, category, "
        "CAST(epoch(created_at) AS BIGINT), snapshot_date FROM devin.session_snapshots"
    )
    assert len(rows) == len(sent)
    for session_id, raw, acus, tags, category, created, snapshot_date in rows:
        item = sent[session_id]
        assert json.loads(raw) == item
        assert acus == pytest.approx(item["acus_consumed"])
        assert tags == item["tags"] and category == item.get("category")
        assert created == item["created_at"] and str(snapshot_date) == "2024-06-04"


@pytest.mark.parametrize("bounds", ["exclusive", "inclusive"])
def test_boundary_timestamps_land_in_their_own_day(snapshot_runner, sandbox_data, bounds):
    snapshot_runner.live.sandbox.bounds = bounds
    assert snapshot_runner.run("2024-06-02", "2024-06-04").success
    clock = snapshot_runner.live.sandbox.clock
    for day in ("2024-06-02", "2024-06-03", "2024-06-04"):
        assert snapshot_runner.version_keys(day) == expected_keys(sandbox_data, clock, day)
    times = {
        datetime.fromtimestamp(ts, UTC).strftime("%H:%M:%S")
        for _, ts in snapshot_runner.version_keys()
    }
    assert {"00:00:00", "23:59:59"} <= times


def test_rematerializing_after_the_clock_moves_keeps_earlier_versions(snapshot_runner):
    sandbox = snapshot_runner.live.sandbox
    sandbox.clock = int(datetime(2024, 6, 4, 12, tzinfo=UTC).timestamp())
    snapshot_runner.run("2024-06-04")
    before = snapshot_runner.version_keys("2024-06-04")
    sandbox.clock = int(datetime(2024, 6, 6, tzinfo=UTC).timestamp())
    result = snapshot_runner.run("2024-06-04")
    after = snapshot_runner.version_keys("2024-06-04")
    assert before and before <= after, "an earlier version was deleted"
    mat = result.asset_materializations_for_node("devin__session_snapshots")[0]
    assert mat.metadata["replaced_versions"].value > 0
    assert len(after) > len(before), "the later clock added versions later on 2024-06-04"


def test_a_run_that_fails_midway_leaves_the_table_as_it_was(snapshot_runner, sandbox_data):
    assert snapshot_runner.run("2024-06-03", "2024-06-05").success
    before = snapshot_runner.rows()
    clock = snapshot_runner.live.sandbox.clock
    start, end = day_bounds(date(2024, 6, 4))
    # The oldest session is served last (newest first), so earlier pages are staged first.
    day_versions = sandbox_data.visible(clock, start, end)
    victim = min(day_versions, key=lambda v: (v["created_at"], v["session_id"]))["session_id"]
    snapshot_runner.live.sandbox.faults = FaultPlan(
        malformed={"session_id": victim, "kind": "string_updated_at"}
    )
    result = snapshot_runner.run("2024-06-04", page_size=5)
    assert not result.success
    assert snapshot_runner.rows() == before


def test_a_range_commits_each_day_and_a_failure_keeps_the_finished_ones(
    snapshot_runner, sandbox_data
):
    clock = snapshot_runner.live.sandbox.clock
    start, end = day_bounds(date(2024, 6, 5))
    victim = sorted(v["session_id"] for v in sandbox_data.visible(clock, start, end))[0]
    snapshot_runner.live.sandbox.faults = FaultPlan(
        malformed={"session_id": victim, "kind": "missing_session_id"}
    )
    sequential = Settings(partitions_start=START, concurrency=1)
    result = snapshot_runner.run("2024-06-02", "2024-06-05", settings=sequential)
    assert not result.success
    for day in ("2024-06-02", "2024-06-03", "2024-06-04"):
        assert snapshot_runner.version_keys(day) == expected_keys(sandbox_data, clock, day)
    assert snapshot_runner.version_keys("2024-06-05") == set()
    done = snapshot_runner.instance.get_materialized_partitions(
        dg.AssetKey(["devin", "session_snapshots"])
    )
    assert done == {"2024-06-02", "2024-06-03", "2024-06-04"}


@pytest.mark.parametrize("total", ["sometimes", "always", "never"])
@pytest.mark.parametrize("order", ["created_desc", "updated_asc"])
def test_versions_that_stay_in_the_window_are_all_kept_while_data_moves(
    snapshot_runner, sandbox_data, order, total
):
    """An offset cursor shifts rows when sessions leave the window mid-walk; none is lost,
    whatever the list's order and whether `total` is sent."""
    sandbox = snapshot_runner.live.sandbox
    sandbox.order, sandbox.total = order, total
    sandbox.clock = int(datetime(2024, 6, 5, tzinfo=UTC).timestamp())
    start_clock = sandbox.clock
    sandbox.faults = FaultPlan(move_clock_per_page=1800)
    assert snapshot_runner.run("2024-06-03", page_size=10).success
    end_clock = sandbox.clock
    stayed = expected_keys(sandbox_data, start_clock, "2024-06-03") & expected_keys(
        sandbox_data, end_clock, "2024-06-03"
    )
    moved = expected_keys(sandbox_data, start_clock, "2024-06-03") - stayed
    assert moved, "the clock must move some sessions out of the window during the walk"
    assert stayed <= snapshot_runner.version_keys("2024-06-03")


def test_a_run_under_auckland_time_equals_the_utc_run(snapshot_runner, tmp_path):
    """Dates are UTC whatever TZ the process (and so DuckDB's session) runs in."""
    assert snapshot_runner.run("2024-06-02", "2024-06-04").success
    utc_rows = snapshot_runner.rows("SELECT * EXCLUDE (fetched_at) FROM devin.session_snapshots")
    auckland_db = tmp_path / "auckland.duckdb"
    script = f"""
from pathlib import Path
import dagster as dg
from tests.conftest import LiveSandbox, SnapshotRunner
live = LiveSandbox(None, {snapshot_runner.live.base_url!r})
runner = SnapshotRunner(live, Path({str(auckland_db)!r}), dg.DagsterInstance.ephemeral())
assert runner.run("2024-06-02", "2024-06-04").success
"""
    env = {**os.environ, "TZ": "Pacific/Auckland"}
    repo = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    subprocess.run([sys.executable, "-c", script], env=env, cwd=repo, check=True, timeout=120)
    snapshot_runner.duckdb_path = auckland_db
    tz_rows = snapshot_runner.rows("SELECT * EXCLUDE (fetched_at) FROM devin.session_snapshots")
    assert tz_rows == utc_rows and len(tz_rows) > 50
