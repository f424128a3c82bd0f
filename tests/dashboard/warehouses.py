"""The warehouse the real pipeline fills (sandbox -> snapshots -> metrics -> billing), with the
dashboard asset materialized on it through Dagster: the demo's page, on the tests' data.

Import `pipeline_dashboard` into a test module to use it as a fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from devin_pipeline.assets.dashboard import dashboard_path
from devin_pipeline.definitions import build_defs
from devin_pipeline.demo import ADOPTION, DERIVED, INGESTION, METRICS_SOURCE
from devin_pipeline.instance_names import DEFAULT_NAMES
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox
from devin_pipeline.schedules import RANGE_END_TAG, RANGE_START_TAG
from devin_pipeline.settings import Settings
from tests.conftest import DAYS, START, LiveSandbox, SnapshotRunner

LAST = START + timedelta(days=DAYS - 1)
DASHBOARD = "devin/usage_dashboard"


@dataclass(frozen=True)
class PipelineDashboard:
    """The filled DuckDB file, the page the asset wrote, and the asset's metadata."""

    database: Path
    page: Path
    metadata: dict[str, Any]


@pytest.fixture(scope="session")
def pipeline_dashboard(sandbox_data, tmp_path_factory) -> Iterator[PipelineDashboard]:
    root = tmp_path_factory.mktemp("dashboard-warehouse")
    path = root / "warehouse.duckdb"
    sandbox = Sandbox(sandbox_data)
    with (
        sandbox.serve() as base_url,
        dg.instance_for_test(temp_dir=str(root)) as instance,
        pytest.MonkeyPatch.context() as env,
    ):
        runner = SnapshotRunner(LiveSandbox(sandbox, base_url), path, instance)
        assert runner.run(START.isoformat(), LAST.isoformat()).success
        env.setenv("DEVIN_API_KEY", SANDBOX_API_KEY)
        settings = Settings(duckdb_path=str(path), partitions_start=START, base_url=base_url)
        job = build_defs(settings).resolve_implicit_global_asset_job_def()
        days = {RANGE_START_TAG: str(START), RANGE_END_TAG: str(LAST)}
        for keys, tags in (  # the demo's steps after the snapshots: every table the page shows
            ([*INGESTION[1:], *DERIVED], days),
            (METRICS_SOURCE, days),
            (ADOPTION, {}),
            (["devin/acu_consumption"], days),
            (["devin/acu_reconciliation", "devin/org_budget_status"], {}),
            ([DASHBOARD], {}),
        ):
            selection = {dg.AssetKey.from_user_string(key) for key in keys}
            run = job.get_subset(asset_selection=selection)
            assert run.execute_in_process(instance=instance, tags=tags).success
        event = instance.get_latest_materialization_event(dg.AssetKey.from_user_string(DASHBOARD))
        assert event and event.asset_materialization
        metadata = {k: v.value for k, v in event.asset_materialization.metadata.items()}
    yield PipelineDashboard(path, dashboard_path(settings, DEFAULT_NAMES), metadata)
