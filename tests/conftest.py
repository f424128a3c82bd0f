"""Shared fixtures: a sandbox API on a free loopback port, a temporary DuckDB file and instance.

Nothing is written to the working directory: every file lives under pytest's tmp_path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

import dagster as dg
import duckdb
import pytest

from devin_pipeline.assets.session_snapshots import build_session_snapshots
from devin_pipeline.partitions import daily_partitions
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox, SandboxData
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.resource import DuckDBWarehouse

START = date(2024, 6, 1)
DAYS = 7
# What installs the system packages some test groups need (Debian's chromium, PostgreSQL).
SYSTEM_DEPS_COMMAND = "make system-deps"


def skip_without_system_package(what: str) -> NoReturn:
    """Skips a test group whose system package is missing, saying what installs it."""
    pytest.skip(f"{what}; install it with `{SYSTEM_DEPS_COMMAND}`")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Ends the run with every group of skipped tests, why, and the command that installs it."""
    groups: Counter[tuple[str, str]] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        groups[(report.nodeid.split("::")[0], reason.removeprefix("Skipped: "))] += 1
    if not groups:
        return
    terminalreporter.write_sep("=", "not run on this machine")
    for (where, reason), count in sorted(groups.items()):
        terminalreporter.write_line(f"{count} skipped in {where}: {reason}")
    if any(SYSTEM_DEPS_COMMAND in reason for _, reason in groups):
        terminalreporter.write_line(f"To run the browser and Postgres tests: {SYSTEM_DEPS_COMMAND}")


@pytest.fixture(scope="session")
def sandbox_data() -> SandboxData:
    """A small deterministic history shared by the tests (generation is the slow part)."""
    return SandboxData.generate(sessions=600, seed=7, start=START, days=DAYS)


@dataclass
class LiveSandbox:
    """A served sandbox: the object to steer (clock, faults) and the origin to call."""

    sandbox: Sandbox
    base_url: str

    def api(self, **overrides: object) -> DevinAPIResource:
        """A client for this sandbox with fast backoff, so retry tests stay quick."""
        config: dict[str, object] = {
            "api_key": SANDBOX_API_KEY,
            "base_url": self.base_url,
            "initial_backoff": 0.01,
            "max_backoff": 0.05,
            "max_retry_wait": 30.0,
        }
        config.update(overrides)
        return DevinAPIResource(**config)  # type: ignore[arg-type]


@pytest.fixture
def live_sandbox(sandbox_data: SandboxData) -> Iterator[LiveSandbox]:
    """A fresh sandbox (default clock, no faults) served over loopback for one test."""
    sandbox = Sandbox(sandbox_data)
    with sandbox.serve() as base_url:
        yield LiveSandbox(sandbox, base_url)


@pytest.fixture
def duckdb_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home)) as test_instance:
        yield test_instance


@dataclass
class SnapshotRunner:
    """Materializes `devin/session_snapshots` for real against the live sandbox."""

    live: LiveSandbox
    duckdb_path: Path
    instance: dg.DagsterInstance
    lock_wait_seconds: float = 60.0

    def run(
        self,
        first: str,
        last: str | None = None,
        settings: Settings | None = None,
        **api_overrides: object,
    ) -> dg.ExecuteInJobResult:
        settings = settings or Settings(partitions_start=START, concurrency=2)
        snapshots = build_session_snapshots(daily_partitions(settings.partitions_start), settings)
        tags = {}
        partition_key: str | None = first
        if last is not None:
            tags = {
                "dagster/asset_partition_range_start": first,
                "dagster/asset_partition_range_end": last,
            }
            partition_key = None
        return dg.materialize(
            [snapshots],
            partition_key=partition_key,
            tags=tags,
            instance=self.instance,
            raise_on_error=False,
            resources={
                "devin_api": self.live.api(**api_overrides),
                "duckdb": DuckDBWarehouse(
                    database=str(self.duckdb_path), lock_wait_seconds=self.lock_wait_seconds
                ),
            },
        )

    def rows(self, sql: str = "SELECT * FROM devin.session_snapshots") -> list[tuple]:
        """Reads the warehouse in UTC, ordered, so two reads can be compared for equality."""
        if not self.duckdb_path.exists():
            return []
        with duckdb.connect(str(self.duckdb_path), read_only=True) as conn:
            conn.execute("SET TimeZone = 'UTC'")
            return conn.execute(f"{sql} ORDER BY ALL").fetchall()

    def version_keys(self, day: str | None = None) -> set[tuple[str, int]]:
        where = f"WHERE snapshot_date = DATE '{day}'" if day else ""
        rows = self.rows(
            f"SELECT session_id, CAST(epoch(updated_at) AS BIGINT) "
            f"FROM devin.session_snapshots {where}"
        )
        return {(r[0], r[1]) for r in rows}


@pytest.fixture
def snapshot_runner(
    live_sandbox: LiveSandbox, duckdb_path: Path, instance: dg.DagsterInstance
) -> SnapshotRunner:
    return SnapshotRunner(live_sandbox, duckdb_path, instance)


@dataclass
class Pipeline:
    """Materializes any of the code location's assets (and their checks) for real, against the
    live sandbox and a DuckDB file, as `build_defs` wires them for `settings`."""

    live: LiveSandbox
    duckdb_path: Path
    instance: dg.DagsterInstance
    settings: Settings = field(
        default_factory=lambda: Settings(partitions_start=START, concurrency=2)
    )

    def materialize(
        self, *keys: str, first: str | None = None, last: str | None = None, **api: object
    ) -> dg.ExecuteInJobResult:
        from devin_pipeline.definitions import build_defs

        settings = replace(
            self.settings, duckdb_path=str(self.duckdb_path), base_url=self.live.base_url
        )
        defs = build_defs(settings)
        tags = {}
        if first is not None:
            tags = {
                "dagster/asset_partition_range_start": first,
                "dagster/asset_partition_range_end": last or first,
            }
        return dg.materialize(
            [*defs.assets, *defs.asset_checks],  # type: ignore[list-item]
            selection=[dg.AssetKey.from_user_string(key) for key in keys],
            tags=tags,
            instance=self.instance,
            raise_on_error=False,
            resources={
                "devin_api": self.live.api(**api),
                "duckdb": DuckDBWarehouse(database=str(self.duckdb_path), lock_wait_seconds=60),
            },
        )

    def rows(self, sql: str) -> list[tuple]:
        """Rows of `sql` on the file, read-only, in UTC, sorted."""
        with duckdb.connect(str(self.duckdb_path), read_only=True) as conn:
            conn.execute("SET TimeZone = 'UTC'")
            return conn.execute(f"{sql} ORDER BY ALL").fetchall()


@pytest.fixture
def pipeline(live_sandbox: LiveSandbox, duckdb_path: Path, instance: dg.DagsterInstance):
    return Pipeline(live_sandbox, duckdb_path, instance)


@dataclass(frozen=True)
class PipelineWarehouse:
    """A DuckDB file every asset of an instance filled, in the demo's steps, and the instance."""

    database: Path
    settings: Settings
    instance: dg.DagsterInstance


@pytest.fixture(scope="session")
def pipeline_warehouse(
    sandbox_data: SandboxData, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PipelineWarehouse]:
    """START..the data's last day from a live sandbox, through Dagster, as `make demo` runs it
    (read only by the tests that take it: the report command and the dashboard)."""
    from devin_pipeline.definitions import build_defs
    from devin_pipeline.demo import demo_steps

    root = tmp_path_factory.mktemp("pipeline-warehouse")
    last = START + timedelta(days=DAYS - 1)
    with (
        Sandbox(sandbox_data).serve() as base_url,
        dg.instance_for_test(temp_dir=str(root)) as instance,
        pytest.MonkeyPatch.context() as env,
    ):
        env.setenv("DEVIN_API_KEY", SANDBOX_API_KEY)
        # The demo reads billing days from the one holding START's 00:00, the day before.
        settings = Settings(
            duckdb_path=str(root / "warehouse.duckdb"),
            partitions_start=START - timedelta(days=1),
            base_url=base_url,
        )
        job = build_defs(settings).resolve_implicit_global_asset_job_def()
        for keys, tags in demo_steps(START, last):
            selection = {dg.AssetKey.from_user_string(key) for key in keys}
            run = job.get_subset(asset_selection=selection)
            assert run.execute_in_process(instance=instance, tags=tags).success, keys
        yield PipelineWarehouse(root / "warehouse.duckdb", settings, instance)
