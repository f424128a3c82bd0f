"""The component adds definitions and sets no project-wide policy: the project keeps its own
executor, whether it loads the component with `dg` or merges `devin_definitions()` by hand."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from devin_pipeline.components import devin_definitions
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox, SandboxData
from tests.components.conftest import COMPONENT, make_project

# A project whose own root definitions pick the multiprocess executor.
MULTIPROCESS_DEFINITIONS = """\
from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
        dg.Definitions(executor=dg.multiprocess_executor),
    )
"""
DAY = "2024-06-03"


def test_merged_by_hand_the_projects_asset_keeps_the_projects_executor():
    @dg.asset
    def their_own_table() -> None: ...

    mine = dg.Definitions(assets=[their_own_table], executor=dg.multiprocess_executor)
    defs = dg.Definitions.merge(
        mine,
        devin_definitions(
            {
                "duckdb_path": "/tmp/unused/acme_warehouse.duckdb",
                "translation": {"key_prefix": "acme"},
            }
        ),
    )
    job = defs.resolve_implicit_job_def_def_for_assets([dg.AssetKey("their_own_table")])
    assert job is not None and job.executor_def is dg.multiprocess_executor
    assert defs.resolve_job_def("acme_session_snapshots_job").executor_def is dg.in_process_executor


@pytest.mark.slow
def test_a_project_with_its_own_executor_loads_and_materializes_the_component(
    tmp_path: Path, sandbox_data: SandboxData
):
    project = make_project(
        tmp_path / "team_project", secret=SANDBOX_API_KEY, definitions=MULTIPROCESS_DEFINITIONS
    )
    project.dg("scaffold", "defs", COMPONENT, "devin")
    assert "All definitions loaded" in project.dg("check", "defs").stdout
    with Sandbox(sandbox_data).serve() as base_url:
        project.env["DEVIN_API_BASE_URL"] = base_url
        run = project.dg(
            "launch", "--assets", "devin/session_snapshots", "--partition", DAY, check=False
        )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    assert "multiprocess executor" in output, "the project's executor ran the step"
    path = project.root / "data" / "devin_warehouse.duckdb"
    with duckdb.connect(str(path), read_only=True) as conn:
        rows = conn.execute("SELECT count(*) FROM devin.session_snapshots").fetchone()
    assert rows is not None and rows[0] > 0
