"""Wires assets, checks, schedules, sensors and resources into the code location's Definitions."""

from __future__ import annotations

from dagster import Definitions, EnvVar, in_process_executor

from devin_pipeline.assets.billing import build_billing_assets
from devin_pipeline.assets.directory import build_directory_assets
from devin_pipeline.assets.metrics import daily_metrics, sessions
from devin_pipeline.assets.session_snapshots import build_session_snapshots
from devin_pipeline.checks import asset_checks, build_billing_checks
from devin_pipeline.partitions import daily_partitions
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.schedules import build_consumption_schedule, build_schedules
from devin_pipeline.sensors import log_failed_runs
from devin_pipeline.settings import Settings, load_settings
from devin_pipeline.warehouse.resource import DuckDBWarehouse


def build_defs(settings: Settings) -> Definitions:
    """The Definitions for these settings (tests build their own)."""
    snapshots = build_session_snapshots(daily_partitions(settings.partitions_start), settings)
    organization_versions, organizations, users = build_directory_assets(settings)
    consumption, reconciliation = build_billing_assets(settings)
    return Definitions(
        assets=[
            snapshots,
            sessions,
            daily_metrics,
            organization_versions,
            organizations,
            users,
            consumption,
            reconciliation,
        ],
        asset_checks=[*asset_checks, *build_billing_checks(settings)],
        schedules=[
            *build_schedules(snapshots, [organization_versions, users], settings.lookback_days),
            build_consumption_schedule(consumption, settings.lookback_days),
        ],
        sensors=[log_failed_runs],
        # Every step writes DuckDB in pool duckdb_writer (limit 1): a process per step would
        # buy no parallelism, only start-up time.
        executor=in_process_executor,
        resources={
            "devin_api": DevinAPIResource(
                api_key=EnvVar("DEVIN_API_KEY"),
                base_url=settings.base_url,
                page_size=settings.page_size,
                max_retry_wait=settings.max_retry_wait,
                max_pages=settings.max_pages,
            ),
            "duckdb": DuckDBWarehouse(
                database=settings.duckdb_path, lock_wait_seconds=settings.duckdb_lock_wait
            ),
        },
    )


defs = build_defs(load_settings())
