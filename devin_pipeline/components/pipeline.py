"""The Definitions of one pipeline instance, before translation: what the component builds.

Every name that must be unique in a project (asset keys, schema, job, schedules, sensor, op
and resource keys, pool) comes from the instance's `InstanceNames`.
"""

from __future__ import annotations

from dagster import Definitions, EnvVar, in_process_executor

from devin_pipeline.assets.billing import build_billing_assets
from devin_pipeline.assets.dashboard import build_dashboard_asset
from devin_pipeline.assets.directory import build_directory_assets
from devin_pipeline.assets.metrics import build_metrics_assets
from devin_pipeline.assets.session_snapshots import build_session_snapshots
from devin_pipeline.checks import build_asset_checks, build_billing_checks
from devin_pipeline.instance_names import InstanceNames
from devin_pipeline.partitions import daily_partitions
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.schedules import (
    ScheduleSettings,
    build_consumption_schedule,
    build_schedules,
)
from devin_pipeline.sensors import build_failure_sensor
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.resource import DuckDBWarehouse


def build_pipeline_defs(
    settings: Settings, names: InstanceNames, schedules: ScheduleSettings, api_key: EnvVar
) -> Definitions:
    """Assets, checks, schedules, failure sensor and resources of one instance."""
    snapshots = build_session_snapshots(
        daily_partitions(settings.partitions_start), settings, names
    )
    organization_versions, organizations, users = build_directory_assets(settings, names)
    consumption, reconciliation = build_billing_assets(settings, names)
    timed = [
        *build_schedules(
            snapshots,
            settings.lookback_days,
            names,
            schedules,
            in_process_executor,
            listings=[organization_versions, users],
        ),
        build_consumption_schedule(
            consumption, settings.lookback_days, names, schedules, in_process_executor
        ),
    ]
    assets = [
        snapshots,
        *build_metrics_assets(names),
        organization_versions,
        organizations,
        users,
        consumption,
        reconciliation,
    ]
    checks = [*build_asset_checks(names), *build_billing_checks(settings, names)]
    # Last: the dashboard follows every table above that it shows, and shows failed checks.
    assets.append(
        build_dashboard_asset(
            settings,
            names,
            [key for a in assets for key in a.keys],
            [key for c in checks for key in c.check_keys],
        )
    )
    return Definitions(
        assets=assets,
        asset_checks=checks,
        # Each schedule's job listed once: a defs folder copies each definition to add its
        # metadata, and would otherwise copy a job once per schedule (a duplicate name).
        jobs=list({schedule.job.name: schedule.job for schedule in timed}.values()),
        schedules=timed,
        sensors=[build_failure_sensor(names)],
        # Every step writes DuckDB in the instance's pool (limit 1): a process per step would
        # buy no parallelism, only start-up time. (The same object in every instance, so
        # two instances' Definitions merge.)
        executor=in_process_executor,
        resources={
            names.api_resource: DevinAPIResource(
                api_key=api_key,
                base_url=settings.base_url,
                page_size=settings.page_size,
                max_retry_wait=settings.max_retry_wait,
                max_pages=settings.max_pages,
            ),
            names.duckdb_resource: DuckDBWarehouse(
                database=settings.duckdb_path, lock_wait_seconds=settings.duckdb_lock_wait
            ),
        },
    )
