"""`DuckDBWarehouse` waits for a lock another process holds on the file, within its bound."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import SnapshotRunner
from tests.reliability.conftest import step_error, table_state

DAY = "2024-06-03"
HOLD = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


@contextmanager
def file_held(path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the DuckDB file read-write for `seconds` once it says so."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def runner(snapshot_runner: SnapshotRunner) -> SnapshotRunner:
    assert snapshot_runner.run(DAY).success  # the file and its tables exist
    return snapshot_runner


def test_a_step_waits_for_the_file_and_says_who_holds_it(runner: SnapshotRunner):
    with file_held(runner.duckdb_path, 3) as holder:
        started = time.monotonic()
        result = runner.run("2024-06-04")
        waited = time.monotonic() - started
    assert result.success
    assert waited >= 2.5, "the step cannot have written while the other process held the file"
    messages = [e.user_message for e in runner.instance.all_logs(result.run_id)]
    waits = [m for m in messages if m.startswith("Waiting for the write lock")]
    assert waits and f"(PID {holder.pid})" in waits[0]
    assert runner.version_keys("2024-06-04")


def test_a_lock_held_past_the_bound_fails_naming_holder_and_variable_and_writes_nothing(
    runner: SnapshotRunner,
):
    before = table_state(runner.duckdb_path)
    runner.lock_wait_seconds = 1.0
    with file_held(runner.duckdb_path, 30) as holder:
        started = time.monotonic()
        result = runner.run("2024-06-04")
        assert time.monotonic() - started < 15
    assert not result.success
    error = step_error(result)
    assert error.cls_name == "WarehouseLockedError"
    assert "DEVIN_DUCKDB_LOCK_WAIT" in error.message and f"(PID {holder.pid})" in error.message
    assert table_state(runner.duckdb_path) == before
