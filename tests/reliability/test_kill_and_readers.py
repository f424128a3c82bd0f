"""A run SIGKILLed mid-write leaves every table as it was; readers only ever see whole days.

The killed run is a real materialization in a child process (tests/reliability/child_run.py)
against a sandbox this process serves over loopback; it is killed at chosen moments: while
pages are being staged, and while the day's transaction commits (its WAL being written).
"""

from __future__ import annotations

import math
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from devin_pipeline.partitions import day_bounds
from devin_pipeline.sandbox import FaultPlan, Sandbox, SandboxData
from devin_pipeline.settings import Settings
from tests.conftest import START, LiveSandbox, SnapshotRunner
from tests.reliability.conftest import REPO, fresh, table_state

BIG_DAY = "2024-06-01"
PAGE = 200


@pytest.fixture(scope="module")
def big_live() -> Iterator[LiveSandbox]:
    """One large day (~10k versions): its commit takes long enough to be killed during."""
    data = SandboxData.generate(sessions=12_000, seed=3, start=START, days=1)
    sandbox = Sandbox(data)
    with sandbox.serve() as base_url:
        yield LiveSandbox(sandbox, base_url)


@pytest.fixture(scope="module")
def noon() -> int:
    return int(datetime(2024, 6, 1, 12, tzinfo=UTC).timestamp())


@pytest.fixture
def before(big_live, module_instance, tmp_path, noon) -> Path:
    """A warehouse holding the day as seen at noon: the state the killed run must not disturb."""
    path = tmp_path / "killed.duckdb"
    big_live.sandbox.clock = noon
    settings = Settings(partitions_start=START, concurrency=1, verify_walks=False)
    runner = SnapshotRunner(big_live, path, module_instance)
    assert runner.run(BIG_DAY, settings=settings, page_size=PAGE).success
    assert not Path(f"{path}.wal").exists(), "a clean close checkpoints the WAL away"
    return path


def run_and_kill(live: LiveSandbox, path: Path, when: Callable[[], bool]) -> int:
    """Starts the child run at the day's end clock, SIGKILLs it once `when()`; returns the
    number of requests the sandbox had received at the kill."""
    log = fresh(live)
    args = [live.base_url, str(path), BIG_DAY, str(PAGE)]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.child_run", *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not when():
            assert child.poll() is None, "the run ended before the moment to kill it"
            assert time.monotonic() < deadline, "the moment to kill never came"
            time.sleep(0.001)
        child.kill()  # SIGKILL: no handler, no cleanup, no rollback by the process itself
        served = len(log)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -9
    return served


def expected_day(live: LiveSandbox, clock: int) -> set[tuple[str, int]]:
    start, end = day_bounds(date.fromisoformat(BIG_DAY))
    return {
        (v["session_id"], v["updated_at"]) for v in live.sandbox.data.visible(clock, start, end)
    }


def keys(path: Path) -> list[tuple[str, int]]:
    with duckdb.connect(str(path)) as conn:  # read-write: the file must open for writing too
        conn.execute("CHECKPOINT")
        return conn.execute(
            "SELECT session_id, CAST(epoch(updated_at) AS BIGINT) FROM devin.session_snapshots"
        ).fetchall()


def pages_of_the_day(live: LiveSandbox) -> int:
    return math.ceil(len(expected_day(live, live.sandbox.data.end)) / PAGE)


@pytest.mark.parametrize("fraction", [0.1, 0.8])
def test_a_run_killed_while_staging_pages_changes_no_table(big_live, before, fraction):
    state = table_state(before)
    pages = pages_of_the_day(big_live)
    moment = int(pages * fraction)
    served = run_and_kill(big_live, before, lambda: len(big_live.sandbox.requests) >= moment)
    assert moment <= served < pages
    assert table_state(before) == state
    keys(before)  # and the file still opens for writing


def test_a_run_killed_during_its_commit_is_all_or_nothing_and_recovers(
    big_live, before, module_instance, noon
):
    state = table_state(before)
    wal = Path(f"{before}.wal")
    served = run_and_kill(big_live, before, lambda: wal.exists() and wal.stat().st_size > 0)
    full = expected_day(big_live, big_live.sandbox.clock)
    assert served == pages_of_the_day(big_live), "killed after the last page: in the commit"
    stored = keys(before)
    assert len(stored) == len(set(stored))
    at_noon = expected_day(big_live, noon)
    # Killed while the WAL was being written: usually before its end, so rolled back (seen
    # in every try); had the COMMIT been durable, the day would be there whole.
    if set(stored) == at_noon:
        assert table_state(before) == state, "rolled back: exactly the state before"
    else:
        assert set(stored) == at_noon | full, "or committed whole, never in part"
    stages = f".{before.name}-stage-*"
    assert list(before.parent.glob(stages)), "the killed run could not remove its stage files"
    # The killed file takes the next run as if nothing had happened, and loses the dead stage.
    settings = Settings(partitions_start=START, concurrency=1, verify_walks=False)
    runner = SnapshotRunner(big_live, before, module_instance)
    assert runner.run(BIG_DAY, settings=settings, page_size=PAGE).success
    assert set(keys(before)) == at_noon | full
    assert not list(before.parent.glob(stages))


def test_readers_during_a_run_see_each_day_before_or_after_its_commit(
    runner, live, module_instance
):
    """A reader in the run's process (as the metrics assets and the UI's previews read)
    polls per-day counts while six days commit one by one: never a partial day."""
    days = [f"2024-06-0{n}" for n in range(2, 8)]
    live.sandbox.clock = int(datetime(2024, 6, 5, tzinfo=UTC).timestamp())
    assert runner.run(days[0], days[-1]).success
    previous = counts(runner.duckdb_path)
    fresh(live, FaultPlan(latency_ms=15))
    seen: list[dict[str, int]] = []
    stop = threading.Event()
    reader = threading.Thread(target=poll, args=(runner.duckdb_path, seen, stop))
    reader.start()
    try:
        assert runner.run(days[0], days[-1], page_size=10).success
    finally:
        stop.set()
        reader.join()
    final = counts(runner.duckdb_path)
    assert any(final[d] != previous.get(d, 0) for d in final), "the run changed some days"
    changing = [o for o in seen if o != previous and o != final]
    assert len(changing) >= 3, "the reader saw the run in the middle"
    for observed in seen:
        for d, count in observed.items():
            assert count in (previous.get(d, 0), final[d]), (d, count, previous, final)


def counts(path: Path, conn: duckdb.DuckDBPyConnection | None = None) -> dict[str, int]:
    sql = "SELECT CAST(snapshot_date AS VARCHAR), count(*) FROM devin.session_snapshots GROUP BY 1"
    if conn is not None:
        return dict(conn.execute(sql).fetchall())
    with duckdb.connect(str(path), read_only=True) as own:
        return dict(own.execute(sql).fetchall())


def poll(path: Path, seen: list[dict[str, int]], stop: threading.Event) -> None:
    """Reads through DuckDBResource, the way this project's assets read, until told to stop."""
    with DuckDBResource(database=str(path)).get_connection() as conn:
        while not stop.is_set():
            seen.append(counts(path, conn))
            time.sleep(0.005)
