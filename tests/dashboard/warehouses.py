"""The page the dashboard asset wrote on the pipeline's warehouse (tests/conftest.py's
`pipeline_warehouse`, the demo's steps on the tests' data).

Import `pipeline_dashboard` into a test module to use it as a fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from devin_pipeline.assets.dashboard import dashboard_path
from devin_pipeline.instance_names import DEFAULT_NAMES
from tests.conftest import DAYS, START, PipelineWarehouse

LAST = START + timedelta(days=DAYS - 1)
DASHBOARD = "devin/usage_dashboard"


@dataclass(frozen=True)
class PipelineDashboard:
    """The filled DuckDB file, the page the asset wrote, and the asset's metadata."""

    database: Path
    page: Path
    metadata: dict[str, Any]


@pytest.fixture(scope="session")
def pipeline_dashboard(pipeline_warehouse: PipelineWarehouse) -> PipelineDashboard:
    """The page the demo's last step wrote on the pipeline's warehouse, and its metadata."""
    key = dg.AssetKey.from_user_string(DASHBOARD)
    event = pipeline_warehouse.instance.get_latest_materialization_event(key)
    assert event and event.asset_materialization
    metadata = {k: v.value for k, v in event.asset_materialization.metadata.items()}
    page = dashboard_path(pipeline_warehouse.settings, DEFAULT_NAMES)
    return PipelineDashboard(pipeline_warehouse.database, page, metadata)
