"""`devin-pipeline doctor` as a process (settings from the environment or a defs.yaml, exit
statuses, JSON) and as each instance's `doctor_job`, launched as from the UI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from devin_pipeline.definitions import build_defs
from devin_pipeline.doctor import REQUEST_BOUND
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox
from devin_pipeline.sandbox.vocab import PERMISSIONS
from devin_pipeline.settings import Settings
from tests.conftest import START, LiveSandbox

CLI = Path(sys.executable).parent / "devin-pipeline"


def _doctor(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DEVIN_")}
    return subprocess.run(
        [str(CLI), "doctor", *args], capture_output=True, text=True, timeout=120,
        env={**clean, **env},
    )  # fmt: skip


def _env(live: LiveSandbox, tmp_path: Path, key: str = SANDBOX_API_KEY) -> dict[str, str]:
    return {
        "DEVIN_API_BASE_URL": live.base_url,
        "DEVIN_API_KEY": key,
        "DEVIN_DUCKDB_PATH": str(tmp_path / "w.duckdb"),
    }


def test_json_for_scripts_exit_0_and_the_requests_logged_stay_under_the_bound(
    live_sandbox: LiveSandbox, tmp_path: Path
):
    result = _doctor("--format", "json", env=_env(live_sandbox, tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    body = json.loads(result.stdout)
    assert body["exit_code"] == 0 and body["requests"]["bound"] == REQUEST_BOUND
    checks = {c["name"]: c for c in body["checks"]}
    assert checks["api.order"]["value"] == "created_at_desc"
    assert checks["api.bounds"]["value"] == "exclusive"
    assert len(live_sandbox.sandbox.requests) <= body["requests"]["made"] <= REQUEST_BOUND
    assert SANDBOX_API_KEY not in result.stdout + result.stderr


def test_text_exit_1_on_a_required_failure_and_2_on_a_usage_error(
    live_sandbox: LiveSandbox, tmp_path: Path
):
    wrong = "cog_not_the_key_123456789"
    result = _doctor(env=_env(live_sandbox, tmp_path, wrong))
    assert result.returncode == 1
    assert "fail  api.key_accepted" in result.stdout and "HTTP 401" in result.stdout
    assert wrong not in result.stdout + result.stderr
    assert f"At most {REQUEST_BOUND} requests" in result.stdout
    assert _doctor("--format", "xml", env={}).returncode == 2
    assert _doctor("--defs", str(tmp_path / "none.yaml"), env={}).returncode == 2


def test_an_invalid_setting_is_a_failed_check_not_a_traceback(tmp_path: Path):
    result = _doctor(env={"DEVIN_API_PAGE_SIZE": "500"})
    assert result.returncode == 1
    assert "fail  settings" in result.stdout and "Traceback" not in result.stderr


def test_a_component_instances_attributes_are_checked(live_sandbox: LiveSandbox, tmp_path: Path):
    defs = tmp_path / "acme" / "defs.yaml"
    defs.parent.mkdir()
    defs.write_text(
        "type: devin_pipeline.components.DevinWarehouseComponent\n"
        "attributes:\n"
        '  api_key: "{{ env.ACME_DEVIN_KEY }}"\n'
        f"  base_url: {live_sandbox.base_url}\n"
        f"  duckdb_path: {tmp_path / 'acme_warehouse.duckdb'}\n"
        "  organizations_enabled: false\n"
        "  translation:\n    key_prefix: acme\n"
    )
    result = _doctor("--defs", str(defs), env={"ACME_DEVIN_KEY": SANDBOX_API_KEY})
    assert result.returncode == 0, result.stdout
    assert "from ACME_DEVIN_KEY" in result.stdout and "(schema acme)" in result.stdout
    assert "skip  permission.organizations" in result.stdout


@pytest.mark.parametrize("missing", [None, "ManageAccountMembership"])
def test_the_doctor_job_runs_the_checks_and_no_schedule_runs_it(
    sandbox_data, tmp_path: Path, instance: dg.DagsterInstance, monkeypatch, missing
):
    monkeypatch.setenv("DEVIN_API_KEY", SANDBOX_API_KEY)
    sandbox = Sandbox(sandbox_data, permissions=frozenset(PERMISSIONS) - {missing})
    with sandbox.serve() as base_url:
        settings = Settings(
            partitions_start=START, base_url=base_url, duckdb_path=str(tmp_path / "w.duckdb")
        )
        defs = build_defs(settings)
        assert all(s.job_name != "doctor_job" for s in defs.schedules or [])
        result = defs.resolve_job_def("doctor_job").execute_in_process(
            instance=instance, raise_on_error=False
        )
    assert result.success == (missing is None)
    logs = "\n".join(e.user_message for e in instance.all_logs(result.run_id))
    assert "permission.members" in logs and SANDBOX_API_KEY not in logs
    assert 0 < len(sandbox.requests) <= REQUEST_BOUND
    if missing:
        failure = next(e for e in result.all_events if e.is_step_failure)
        error = failure.event_specific_data.error  # type: ignore[union-attr]
        assert "required checks failed: permission.members" in error.message


def test_the_readme_states_the_bound_the_code_keeps():
    from devin_pipeline.settings import REPO_ROOT

    readme = (REPO_ROOT / "README.md").read_text()
    assert f"makes at most {REQUEST_BOUND} requests" in readme
    assert f"At most {REQUEST_BOUND} requests to the API" in readme
