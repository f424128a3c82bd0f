"""`pip install devin_pipeline` without the `sandbox` extra: the pipeline runs against an API
(here a sandbox served by this process), and the demo and sandbox commands say what to install.

The subprocesses get a `sitecustomize` that makes fastapi, starlette, uvicorn and numpy
unimportable, as on a machine that never installed them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from devin_pipeline.sandbox import SANDBOX_API_KEY
from devin_pipeline.settings import REPO_ROOT
from tests.conftest import LiveSandbox

BLOCKED = ("fastapi", "starlette", "uvicorn", "numpy")
BLOCKER = f"""\
import sys


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)


sys.meta_path.insert(0, _NotInstalled())
"""
BIN = Path(sys.executable).parent


@pytest.fixture
def blocked_env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER)
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO_ROOT / "dagster_home" / "dagster.yaml").read_text())
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVIN_")}
    return env | {
        "PYTHONPATH": str(site),
        "DAGSTER_HOME": str(home),
        "DEVIN_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
        "DEVIN_API_KEY": SANDBOX_API_KEY,
    }


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_blocker_blocks(blocked_env):
    result = run([sys.executable, "-c", "import fastapi"], blocked_env)
    assert result.returncode == 1
    assert "No module named 'fastapi'" in result.stderr


def test_definitions_load_without_the_extra(blocked_env):
    script = (
        "import sys; from devin_pipeline.definitions import defs; "
        "print(len(list(defs.resolve_all_asset_keys()))); "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {BLOCKED!r}))"
    )
    result = run([sys.executable, "-c", script], blocked_env)
    assert result.returncode == 0, result.stderr[-3000:]
    count, loaded = result.stdout.split("\n")[:2]
    assert int(count) >= 11
    assert loaded == "[]"


@pytest.mark.slow
def test_the_pipeline_and_the_report_run_without_the_extra(blocked_env, live_sandbox: LiveSandbox):
    env = blocked_env | {"DEVIN_API_BASE_URL": live_sandbox.base_url}
    dagster = [str(BIN / "dagster"), "asset", "materialize", "-m", "devin_pipeline.definitions"]
    for selection in (["--partition", "2024-06-03"], []):
        keys = "devin/session_snapshots" if selection else "group:metrics"
        result = run([*dagster, "--select", keys, *selection], env)
        assert result.returncode == 0, result.stderr[-3000:]
    with duckdb.connect(env["DEVIN_DUCKDB_PATH"], read_only=True) as conn:
        (rows,) = conn.execute("SELECT count(*) FROM devin.org_daily_metrics").fetchone()
    assert rows > 0
    report = [str(BIN / "devin-pipeline"), "report", "--start", "2024-06-01", "--end", "2024-06-07"]
    result = run([*report, "--by", "org", "--format", "csv"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("report,metric_date")


@pytest.mark.parametrize("command", [["demo"], ["sandbox", "--port", "0"]])
def test_demo_and_sandbox_say_what_to_install(blocked_env, command):
    result = run([str(BIN / "devin-pipeline"), *command], blocked_env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "pip install 'devin_pipeline[sandbox]'" in lines[0]
