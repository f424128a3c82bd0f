"""Fixtures for the reliability tests: one served sandbox and instance per module, timed logs.

Serving and a Dagster instance cost about a second each; a module shares them and every test
gets them back reset (no faults, default clock, empty request log).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from devin_pipeline.assets.session_snapshots import DUCKDB_POOL
from devin_pipeline.sandbox import FaultPlan, Sandbox, SandboxData
from devin_pipeline.settings import Settings
from tests.conftest import START, LiveSandbox, SnapshotRunner

REPO = Path(__file__).resolve().parents[2]
SNAPSHOTS = dg.AssetKey(["devin", "session_snapshots"])
SEQUENTIAL = Settings(partitions_start=START, concurrency=1)


class StampedLog(list):  # type: ignore[type-arg]
    """The sandbox's request log, plus when each request arrived (to measure waits)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []  # monotonic, for gaps
        self.wall: list[float] = []  # epoch seconds, to compare with HTTP dates

    def append(self, item: Any) -> None:
        self.times.append(time.monotonic())
        self.wall.append(time.time())
        super().append(item)

    def clear(self) -> None:
        self.times.clear()
        self.wall.clear()
        super().clear()

    def gaps_after(self, indices: list[int]) -> list[float]:
        """Seconds from each given request (0-based) to the next one."""
        return [self.times[i + 1] - self.times[i] for i in indices if i + 1 < len(self.times)]


def fresh(live: LiveSandbox, faults: FaultPlan | None = None) -> StampedLog:
    """Resets the sandbox to a clean state (faults restart their counters); returns its log."""
    live.sandbox.faults = faults or FaultPlan()
    live.sandbox.clock = live.sandbox.data.end
    log = StampedLog()
    live.sandbox.requests = log
    return log


@pytest.fixture(scope="module")
def module_live(sandbox_data: SandboxData) -> Iterator[LiveSandbox]:
    sandbox = Sandbox(sandbox_data)
    with sandbox.serve() as base_url:
        yield LiveSandbox(sandbox, base_url)


@pytest.fixture(scope="module")
def module_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dg.DagsterInstance]:
    home = tmp_path_factory.mktemp("dagster_home")
    with dg.instance_for_test(temp_dir=str(home)) as test_instance:
        yield test_instance


@pytest.fixture
def live(module_live: LiveSandbox) -> LiveSandbox:
    fresh(module_live)
    return module_live


@pytest.fixture
def runner(live: LiveSandbox, duckdb_path: Path, module_instance: dg.DagsterInstance):
    return SnapshotRunner(live, duckdb_path, module_instance)


# What differs between two runs that stored the same data: when each read a page, and when
# (and in which order) each logged the days it changed.
RUN_STAMPS = ("fetched_at", "change_id", "logged_at")


def table_state(path: Path, exclude: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every table of the file, its rows sorted: equal states mean equal warehouses.

    `exclude` names columns left out of the tables that have them (e.g. fetched_at)."""
    if not path.exists():
        return {}
    with duckdb.connect(str(path), read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        names = conn.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() ORDER BY ALL"
        ).fetchall()
        state = {}
        for (name,) in names:
            columns = {d[0] for d in conn.execute(f"SELECT * FROM {name} LIMIT 0").description}
            left_out = [column for column in exclude if column in columns]
            cut = f" EXCLUDE ({', '.join(left_out)})" if left_out else ""
            state[name] = conn.execute(f"SELECT *{cut} FROM {name} ORDER BY ALL").fetchall()
        return state


def query(path: Path, sql: str) -> list[tuple]:
    """Rows of `sql` on the file, read-only and in UTC, sorted."""
    with duckdb.connect(str(path), read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        return conn.execute(f"{sql} ORDER BY ALL").fetchall()


def step_error(result: dg.ExecuteInJobResult) -> Any:
    """The user's exception (a SerializableErrorInfo) under Dagster's step-failure wrapper."""
    error = result.get_step_failure_events()[0].event_specific_data.error
    while error.cause is not None and error.message.startswith("dagster."):
        error = error.cause
    return error


def subprocess_env(**overrides: str) -> dict[str, str]:
    """The test's environment without any DEVIN_* variable, plus `overrides`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVIN_")}
    env.update(overrides)
    return env


def day(text: str) -> date:
    return date.fromisoformat(text)


# --- The `dagster` CLI against a temporary DAGSTER_HOME holding the project's dagster.yaml ---

DAGSTER = str(Path(sys.executable).parent / "dagster")


@dataclass
class CliRun:
    """One finished `dagster asset materialize`: its exit code and captured output."""

    partition: str
    returncode: int
    stdout: str
    stderr: str


@contextmanager
def open_instance(home: Path) -> Iterator[dg.DagsterInstance]:
    """The instance of a DAGSTER_HOME holding the project's dagster.yaml, which reads the
    variable (base_dir {env: DAGSTER_HOME})."""
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            yield instance
    finally:
        if previous is None:
            del os.environ["DAGSTER_HOME"]
        else:
            os.environ["DAGSTER_HOME"] = previous


def dagster_home(root: Path) -> Path:
    """A fresh DAGSTER_HOME with the project's dagster.yaml, its storage and pool created up
    front, as after a first run: processes starting at once on an empty SQLite home race on
    the schema migration."""
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    with open_instance(home) as instance:
        instance.event_log_storage.initialize_concurrency_limit_to_default(DUCKDB_POOL)
    return home


POOL_HOLDER = ("test-holds-the-pool", "queue")  # (run_id, step_key) of the test's own claim


@contextmanager
def pool_held_until_queued(home: Path, steps: int, timeout: float = 120) -> Iterator[None]:
    """Holds the pool's only slot while the body starts runs, and frees it once `steps` steps
    wait in its queue. Dagster's claim is not atomic: steps claiming an idle pool at the same
    instant can all win it (README, Failure semantics). Claims made while a step holds the slot
    queue, and each freed slot is assigned to one waiting step, so the runs then write one after
    the other whatever their timing."""
    with open_instance(home) as instance:
        storage = instance.event_log_storage
        assert storage.claim_concurrency_slot(DUCKDB_POOL, *POOL_HOLDER).is_claimed
        try:
            yield
            deadline = time.monotonic() + timeout
            while storage.get_concurrency_info(DUCKDB_POOL).pending_step_count < steps:
                assert time.monotonic() < deadline, f"{steps} steps never queued on the pool"
                time.sleep(0.2)
        finally:
            storage.free_concurrency_slot_for_step(*POOL_HOLDER)


def start_at_once(runs: dict[str, dict[str, str]], out: Path) -> dict[str, Any]:
    """Starts one CLI materialization per name; `runs` maps a name to {"partition": ..., **env}."""
    procs = {}
    for name, spec in runs.items():
        env = dict(spec)
        partition = env.pop("partition")
        cmd = [DAGSTER, "asset", "materialize", "-m", "devin_pipeline.definitions"]
        cmd += ["--select", "devin/session_snapshots", "--partition", partition]
        stdout, stderr = (out / f"{name}.stdout").open("w"), (out / f"{name}.stderr").open("w")
        procs[name] = (
            partition,
            subprocess.Popen(cmd, cwd=out, env=env, stdout=stdout, stderr=stderr),
        )
    return procs


def wait_for_all(procs: dict[str, Any], out: Path) -> dict[str, CliRun]:
    done = {}
    for name, (partition, proc) in procs.items():
        code = proc.wait(timeout=240)
        text = [(out / f"{name}.{s}").read_text() for s in ("stdout", "stderr")]
        done[name] = CliRun(partition, code, *text)
    return done


SECRET = "cog_reliability_s3cret_9d41f7b2"  # the sandbox's valid key in the CLI runs
WRONG_KEY = "cog_wrong_s3cret_b81e66d0"
CONFIG_RUN_KEY = "cog_config_run_key_0c4f"  # marks any request the invalid-config run made
CLI_PARTITIONS = ("2024-06-02", "2024-06-03", "2024-06-04")


@dataclass
class CliSession:
    """Runs started at once on one DAGSTER_HOME and DuckDB file, and what the sandbox saw."""

    home: Path
    warehouse: Path
    runs: dict[str, CliRun]
    requests: list[tuple[str, list[tuple[str, str]], dict[str, str]]]
    outputs: Path

    def auth_headers(self) -> list[str]:
        return [h.get("authorization", "") for _, _, h in self.requests]


def cli_session(
    data: SandboxData, root: Path, runs: dict[str, dict[str, str]], queued_steps: int
) -> CliSession:
    """Serves a sandbox whose valid key is SECRET; `runs` maps a name to its partition and
    DEVIN_* variables (DEVIN_API_BASE_URL is filled in unless given). The runs start while the
    test holds the pool, which it frees once `queued_steps` of their steps wait for it."""
    home = dagster_home(root)
    warehouse = root / "warehouse.duckdb"
    sandbox = Sandbox(data, api_key=SECRET)
    with sandbox.serve() as base_url:
        base = {"DAGSTER_HOME": str(home), "DEVIN_API_BASE_URL": base_url}
        base |= {"DEVIN_DUCKDB_PATH": str(warehouse), "DEVIN_PARTITIONS_START": START.isoformat()}
        specs = {name: subprocess_env(**(base | spec)) for name, spec in runs.items()}
        with pool_held_until_queued(home, queued_steps):
            procs = start_at_once(specs, root)
        done = wait_for_all(procs, root)
    return CliSession(home, warehouse, done, list(sandbox.requests), root)


@pytest.fixture(scope="session")
def cli_runs(sandbox_data, tmp_path_factory) -> CliSession:
    """Six `dagster asset materialize` started at once on one DAGSTER_HOME and DuckDB file:
    three partitions that must succeed, and three runs that must fail without writing (a
    wrong key, no key, an invalid page size). One batch: separately they cost a minute more."""
    runs: dict[str, dict[str, str]] = {
        p: {"partition": p, "DEVIN_API_KEY": SECRET} for p in CLI_PARTITIONS
    }
    runs["wrong_key"] = {"partition": "2024-06-05", "DEVIN_API_KEY": WRONG_KEY}
    runs["missing_key"] = {"partition": "2024-06-05"}
    runs["page_size"] = {
        "partition": "2024-06-05",
        "DEVIN_API_KEY": CONFIG_RUN_KEY,
        "DEVIN_API_PAGE_SIZE": "500",
    }
    # The partitions' steps and the wrong key's queue; the other two fail before any step.
    queued = len(CLI_PARTITIONS) + 1
    return cli_session(sandbox_data, tmp_path_factory.mktemp("cli_runs"), runs, queued)
