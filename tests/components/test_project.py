"""A team's own dg project with two scaffolded Devin instances: it loads, both instances run
against the sandbox, nothing is shared, and the tables equal the code location's."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from devin_pipeline.definitions import build_defs
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox, SandboxData
from devin_pipeline.schedules import RANGE_END_TAG, RANGE_START_TAG
from devin_pipeline.settings import Settings
from tests.components.conftest import COMPONENT, PROJECT_MODULE, Project
from tests.tables import ADOPTION, BILLING, DIRECTORY, METRICS, MONEY, REPORTING
from tests.ui.conftest import STARTUP_TIMEOUT, Webserver, _free_port, _stop

pytestmark = pytest.mark.slow

DAY = "2024-06-03"
# As the demo runs them: what the daily schedule runs, then what automation runs after it.
INGESTION = ["session_snapshots", "organization_versions", "member_listings"]
DERIVED = [table for table in DIRECTORY + METRICS if table not in INGESTION]
TABLES = INGESTION + DERIVED
ALL = TABLES + BILLING + ADOPTION + MONEY + REPORTING  # every asset of an instance
# Columns that say when a run read something: they differ between any two runs.
WALL_CLOCK = {
    "session_snapshots": "fetched_at",
    "sessions": "fetched_at",
    "organization_versions": "fetched_at",
    "organizations": "first_listed_at, last_listed_at",
    "member_listings": "fetched_at",
    "users": "first_listed_at, last_listed_at",
}
PREFIXES = ("devin", "devin_sandbox")


def materialize(defs: dg.Definitions, prefix: str, instance: dg.DagsterInstance) -> None:
    """A day of snapshots and the listings, then everything downstream, as the demo runs them."""
    job = defs.resolve_implicit_global_asset_job_def()
    for tables, tags in [
        (INGESTION, {RANGE_START_TAG: DAY, RANGE_END_TAG: DAY}),
        (DERIVED, {}),
    ]:
        keys = [dg.AssetKey([prefix, t]) for t in tables]
        result = job.get_subset(asset_selection=set(keys)).execute_in_process(
            instance=instance, tags=tags, raise_on_error=False
        )
        assert result.success, [e.message for e in result.all_events if e.is_failure]


def read_tables(path: Path, schema: str) -> dict[str, list[tuple]]:
    """Every table of `schema`, fetched_at aside (it says when a run read the row)."""
    with duckdb.connect(str(path), read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        return {
            table: conn.execute(
                f"SELECT * EXCLUDE ({WALL_CLOCK[table]}) FROM {schema}.{table} ORDER BY ALL"
                if table in WALL_CLOCK
                else f"SELECT * FROM {schema}.{table} ORDER BY ALL"
            ).fetchall()
            for table in TABLES
        }


def schemas(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as conn:
        rows = conn.execute("SELECT schema_name FROM duckdb_schemas() WHERE NOT internal")
        return {row[0] for row in rows.fetchall()} - {"main"}


@pytest.fixture(scope="module")
def served(sandbox_data: SandboxData) -> Iterator[str]:
    with Sandbox(sandbox_data).serve() as base_url:
        yield base_url


@pytest.fixture(scope="module")
def project_defs(scaffolded: Project, served: str) -> Iterator[dg.Definitions]:
    """The team project's Definitions, loaded as `dg` / `dagster dev` would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(scaffolded.root))
        for name, value in scaffolded.env.items():
            if name.startswith("DEVIN_") or name == "DAGSTER_HOME":
                patch.setenv(name, value)
        patch.delenv("DEVIN_DUCKDB_PATH", raising=False)
        patch.setenv("DEVIN_API_BASE_URL", served)
        patch.setenv("DEVIN_API_KEY", SANDBOX_API_KEY)
        module = __import__(f"{PROJECT_MODULE}.definitions", fromlist=["defs"])
        yield module.defs()
        for name in [m for m in sys.modules if m.startswith(PROJECT_MODULE)]:
            del sys.modules[name]


def test_dg_lists_and_checks_the_scaffolded_project(scaffolded):
    listed = scaffolded.dg("list", "components", "--json").stdout
    assert COMPONENT in listed
    yaml = (scaffolded.defs_folder / "devin" / "defs.yaml").read_text()
    assert '"{{ env.DEVIN_API_KEY }}"' in yaml and "DEVIN_API_BASE_URL" in yaml
    assert "DEVIN_DUCKDB_PATH" in yaml and "key_prefix: devin" in yaml
    assert "All component YAML validated" in scaffolded.dg("check", "yaml").stdout
    assert "All definitions loaded" in scaffolded.dg("check", "defs").stdout


def test_two_instances_load_with_nothing_shared(project_defs):
    graph = project_defs.resolve_asset_graph()
    for prefix in PREFIXES:
        keys = {k for k in graph.get_all_asset_keys() if k.path[0] == prefix}
        assert {k.path[1] for k in keys} == set(ALL)
        for key in keys:
            assert graph.get(key).pools == {
                f"{'' if prefix == 'devin' else prefix + '_'}duckdb_writer"
            }
            parents = {p.path[0] for p in graph.get(key).parent_keys}
            assert parents <= {prefix}, f"{key} depends on another instance"
    names = [s.name for s in project_defs.schedules] + [s.name for s in project_defs.sensors]
    assert len(names) == len(set(names)) == 8
    assert {"daily_session_snapshots", "devin_sandbox_daily_session_snapshots"} <= set(names)
    resources = set(project_defs.resources or {})
    assert resources == {"devin_api", "duckdb", "devin_sandbox_devin_api", "devin_sandbox_duckdb"}


def test_both_instances_materialize_the_code_locations_tables(
    project_defs, scaffolded, served, instance, tmp_path, monkeypatch
):
    monkeypatch.setenv("DEVIN_API_KEY", SANDBOX_API_KEY)
    for prefix in PREFIXES:
        materialize(project_defs, prefix, instance)
    location_file = tmp_path / "location.duckdb"
    settings = Settings(base_url=served, duckdb_path=str(location_file))
    materialize(build_defs(settings), "devin", instance)
    expected = read_tables(location_file, "devin")
    assert expected["session_snapshots"] and expected["org_daily_metrics"]
    for prefix in PREFIXES:
        path = scaffolded.root / "data" / f"{prefix}_warehouse.duckdb"
        assert schemas(path) == {prefix}, "each instance has its own file and schema"
        assert read_tables(path, prefix) == expected


LINEAGE = "{ assetNodes { assetKey { path } dependencyKeys { path } } }"


@pytest.fixture(scope="module")
def project_webserver(scaffolded: Project) -> Iterator[Webserver]:
    """dagster-webserver on the team project, started and stopped by its own pid."""
    port = _free_port()
    log = scaffolded.root / "webserver.log"
    command = [
        str(Path(sys.executable).parent / "dagster-webserver"),
        *("--host", "127.0.0.1", "--port", str(port)),
        *("-m", f"{PROJECT_MODULE}.definitions", "--working-directory", str(scaffolded.root)),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=scaffolded.root, env=scaffolded.env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Webserver(f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            with contextlib.suppress(urllib.error.URLError, OSError, ValueError, AssertionError):
                if len(server.graphql(LINEAGE)["assetNodes"]) == 2 * len(ALL):
                    break
            time.sleep(0.5)
        else:
            pytest.fail(f"webserver did not load the project:\n{log.read_text()[-3000:]}")
        yield server
    finally:
        _stop(process)


def test_the_webserver_shows_both_lineages(project_webserver):
    nodes = project_webserver.graphql(LINEAGE)["assetNodes"]
    deps = {"/".join(n["assetKey"]["path"]): {"/".join(d["path"]) for d in n["dependencyKeys"]}
            for n in nodes}  # fmt: skip
    for prefix in PREFIXES:
        assert deps[f"{prefix}/sessions"] == {f"{prefix}/session_snapshots"}
        assert deps[f"{prefix}/org_daily_metrics"] == {
            f"{prefix}/sessions",
            f"{prefix}/session_snapshots",
            f"{prefix}/organizations",
        }
        assert deps[f"{prefix}/session_snapshots"] == set()
        assert f"{prefix}/org_daily_metrics" in deps[f"{prefix}/usage_dashboard"]
