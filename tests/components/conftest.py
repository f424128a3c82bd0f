"""A Dagster project of a data platform team, made by the test outside this repository.

It has its own `pyproject.toml` with `[tool.dg]` and `definitions.py`, and gets its Devin
instances the way a team would: `dg scaffold defs` (a subprocess of this venv's `dg`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from devin_pipeline.settings import REPO_ROOT

COMPONENT = "devin_pipeline.components.DevinWarehouseComponent"
PROJECT_MODULE = "devin_demo_project"
PYPROJECT = f"""\
[project]
name = "{PROJECT_MODULE}"
version = "0.1.0"

[tool.dg]
directory_type = "project"

[tool.dg.project]
root_module = "{PROJECT_MODULE}"
"""
DEFINITIONS = """\
from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
"""


@dataclass(frozen=True)
class Project:
    """A temporary dg project: its root, and `dg` run in it."""

    root: Path
    env: dict[str, str]

    def dg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        dg = Path(sys.executable).parent / "dg"
        result = subprocess.run(
            [str(dg), *args], cwd=self.root, env=self.env, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    @property
    def defs_folder(self) -> Path:
        return self.root / PROJECT_MODULE / "defs"


def make_project(
    root: Path, secret: str = "cog_unused_at_load_0000", definitions: str = DEFINITIONS
) -> Project:
    """An empty dg project at `root`, with a DAGSTER_HOME of its own (telemetry off)."""
    package = root / PROJECT_MODULE
    (package / "defs").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (package / "__init__.py").write_text("")
    (package / "defs" / "__init__.py").write_text("")
    (package / "definitions.py").write_text(definitions)
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVIN_")}
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(Path(sys.executable).parent.parent),
        "DAGSTER_HOME": str(home),
        "DEVIN_API_KEY": secret,
    }
    return Project(root, env)


@pytest.fixture(scope="session")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Two instances scaffolded by dg: `devin` (the defaults) and `devin_sandbox`."""
    project = make_project(tmp_path_factory.mktemp("team_project"))
    project.dg("scaffold", "defs", COMPONENT, "devin")
    project.dg("scaffold", "defs", COMPONENT, "sandbox", "--key-prefix", "devin_sandbox")
    return project
