"""DEVIN_API_KEY: wrong or missing fails at once, naming the variable; its value never leaks.

The key is searched for, as raw bytes, in everything a run leaves: the CLI's stdout and
stderr, every file under DAGSTER_HOME (run storage, event logs, compute logs), the event
records and materialization metadata, and the DuckDB file. The 403 message naming the
missing permission is tested in tests/resources/test_devin_api.py::test_403_names_the_permission.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from dagster_duckdb import DuckDBResource

from devin_pipeline.assets.session_snapshots import build_session_snapshots
from devin_pipeline.partitions import daily_partitions
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.sandbox import Sandbox
from devin_pipeline.settings import Settings
from tests.conftest import START
from tests.reliability.conftest import CLI_PARTITIONS, SECRET, WRONG_KEY, CliSession, step_error

KEYS = (SECRET.encode(), WRONG_KEY.encode())


def files_holding_a_key(*roots: Path) -> list[str]:
    """Every file under `roots` whose bytes contain either key."""
    found = []
    for root in roots:
        paths = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        found += [str(p) for p in paths if any(key in p.read_bytes() for key in KEYS)]
    return found


def assert_no_key_in_cli_session(session: CliSession) -> None:
    for run in session.runs.values():
        assert SECRET not in run.stdout + run.stderr and WRONG_KEY not in run.stdout + run.stderr
    assert files_holding_a_key(session.outputs) == []  # DAGSTER_HOME, DuckDB file, logs


def test_cli_runs_that_succeed_or_fail_leak_the_key_nowhere(cli_runs):
    assert all(cli_runs.runs[p].returncode == 0 for p in CLI_PARTITIONS)
    assert cli_runs.runs["wrong_key"].returncode != 0
    assert f"Bearer {SECRET}" in cli_runs.auth_headers(), "the key was sent, so could leak"
    assert cli_runs.warehouse.stat().st_size > 0
    assert_no_key_in_cli_session(cli_runs)


def test_a_wrong_key_fails_at_once_naming_the_variable(cli_runs):
    run = cli_runs.runs["wrong_key"]
    assert run.returncode != 0
    assert "HTTP 401" in run.stderr and "DEVIN_API_KEY" in run.stderr
    assert cli_runs.auth_headers().count(f"Bearer {WRONG_KEY}") == 1, "a 401 is not retried"


def test_a_missing_key_fails_before_any_request_naming_the_variable(cli_runs):
    run = cli_runs.runs["missing_key"]
    assert run.returncode != 0
    assert 'environment variable "DEVIN_API_KEY" which is not set' in run.stderr
    assert all(h.startswith("Bearer cog_") for h in cli_runs.auth_headers()), "none without"


def run_in_process(base_url: str, instance: dg.DagsterInstance, warehouse: Path):
    settings = Settings(partitions_start=START)
    snapshots = build_session_snapshots(daily_partitions(START), settings)
    api = DevinAPIResource(api_key=dg.EnvVar("DEVIN_API_KEY"), base_url=base_url)
    return dg.materialize(
        [snapshots],
        partition_key="2024-06-03",
        instance=instance,
        raise_on_error=False,
        resources={"devin_api": api, "duckdb": DuckDBResource(database=str(warehouse))},
    )


def test_in_process_runs_leak_the_key_nowhere(sandbox_data, instance, tmp_path, monkeypatch, capfd):
    """As the definitions wire it (EnvVar), for a run that succeeds and one that gets a 401."""
    sandbox = Sandbox(sandbox_data, api_key=SECRET)
    warehouse = tmp_path / "warehouse.duckdb"
    with sandbox.serve() as base_url:
        monkeypatch.setenv("DEVIN_API_KEY", SECRET)
        good = run_in_process(base_url, instance, warehouse)
        monkeypatch.setenv("DEVIN_API_KEY", WRONG_KEY)
        bad = run_in_process(base_url, instance, warehouse)
    assert good.success and not bad.success
    assert "HTTP 401" in step_error(bad).message
    captured = capfd.readouterr()
    for key in (SECRET, WRONG_KEY):
        assert key not in captured.out + captured.err
        for result in (good, bad):
            assert key not in repr(instance.all_logs(result.run_id))
            assert key not in repr(result.get_asset_materialization_events())
    assert files_holding_a_key(tmp_path) == []  # the instance's storage and the DuckDB file


def test_an_empty_key_fails_before_any_request_naming_the_variable(
    live, module_instance, tmp_path, monkeypatch
):
    monkeypatch.setenv("DEVIN_API_KEY", " ")
    result = run_in_process(live.base_url, module_instance, tmp_path / "w.duckdb")
    assert not result.success
    assert "DEVIN_API_KEY is empty" in step_error(result).message
    assert live.sandbox.requests == []


def test_an_unset_key_fails_before_any_request_naming_the_variable(
    live, module_instance, tmp_path, monkeypatch
):
    monkeypatch.delenv("DEVIN_API_KEY", raising=False)
    with pytest.raises(dg.DagsterInvalidConfigError, match='"DEVIN_API_KEY" which is not set'):
        run_in_process(live.base_url, module_instance, tmp_path / "w.duckdb")
    assert live.sandbox.requests == []
