"""The Definitions of one pipeline instance, before translation: what the component builds.

Every name that must be unique in a project (asset keys, schema, job, schedules, sensor, op
and resource keys, pool) comes from the instance's `InstanceNames`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dagster import (
    AssetChecksDefinition,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Definitions,
    EnvVar,
    in_process_executor,
)

from devin_pipeline.assets.adoption import build_adoption_assets
from devin_pipeline.assets.billing import build_billing_assets
from devin_pipeline.assets.budget import build_budget_assets
from devin_pipeline.assets.dashboard import build_dashboard_asset
from devin_pipeline.assets.directory import build_directory_assets
from devin_pipeline.assets.metrics import build_metrics_assets
from devin_pipeline.assets.outcomes import build_outcome_assets
from devin_pipeline.assets.session_snapshots import build_session_snapshots
from devin_pipeline.checks import (
    build_adoption_checks,
    build_asset_checks,
    build_billing_checks,
    build_budget_checks,
)
from devin_pipeline.doctor.job import build_doctor_job
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

Translate = Callable[[AssetSpec], AssetSpec]


def _unchanged(spec: AssetSpec) -> AssetSpec:
    return spec


def translated(
    assets: Sequence[AssetsDefinition],
    checks: Sequence[AssetChecksDefinition],
    translate: Translate,
) -> tuple[list[AssetsDefinition], list[AssetsDefinition]]:
    """Each spec's attributes as `translate` says; a new key renames the asset in its
    dependents and checks too (Dagster's key replacement)."""
    renamed: dict[AssetKey, AssetKey] = {}

    def attributes(spec: AssetSpec) -> AssetSpec:
        new = translate(spec)
        if new.key != spec.key:
            renamed[spec.key] = new.key
        return new.replace_attributes(key=spec.key)

    mapped = [asset.map_asset_specs(attributes) for asset in assets]
    if not renamed:
        return mapped, list(checks)
    return (
        [asset.with_attributes(asset_key_replacements=renamed) for asset in mapped],
        [check.with_attributes(asset_key_replacements=renamed) for check in checks],
    )


def build_pipeline_defs(
    settings: Settings,
    names: InstanceNames,
    schedules: ScheduleSettings,
    api_key: EnvVar,
    translate: Translate = _unchanged,
) -> Definitions:
    """Assets, checks, schedules, failure sensor and resources of one instance, each asset
    spec through `translate` (the component's translation) before the jobs select them."""
    snapshots = build_session_snapshots(
        daily_partitions(settings.partitions_start), settings, names
    )
    organization_versions, organizations, member_listings, users = build_directory_assets(
        settings, names
    )
    consumption, reconciliation = build_billing_assets(settings, names)
    # Money and outcomes: the cycles and insights are read by the daily job; the rest follows.
    cycles, budget = build_budget_assets(settings, names)
    insights, outcomes = build_outcome_assets(settings, names)
    adoption = build_adoption_assets(settings, names)
    reported_metrics = next(a for a in adoption if a.key == names.key("reported_metrics"))
    # What the schedules select, first: the jobs must select the translated assets.
    scheduled = {
        "snapshots": snapshots,
        "organization_versions": organization_versions,
        "member_listings": member_listings,
        "cycles": cycles,
        "insights": insights,
        "reported_metrics": reported_metrics,
        "consumption": consumption,
    }
    others = [a for a in adoption if a is not reported_metrics]
    shown = [
        *scheduled.values(),
        organizations,
        users,
        reconciliation,
        budget,
        outcomes,
        *others,
        *build_metrics_assets(settings, names),
    ]
    shown_checks = [
        *build_asset_checks(names),
        *build_billing_checks(settings, names),
        *build_budget_checks(settings, names),
        *build_adoption_checks(settings, names),
    ]
    # Last: the dashboard follows every table above that it shows, and shows failed checks.
    dashboard = build_dashboard_asset(
        settings,
        names,
        [key for a in shown for key in a.keys],
        [key for c in shown_checks for key in c.check_keys],
    )
    assets, checks = translated([*shown, dashboard], shown_checks, translate)
    selected = dict(zip(scheduled, assets, strict=False))
    timed = [
        *build_schedules(
            selected["snapshots"],
            settings.lookback_days,
            names,
            schedules,
            in_process_executor,
            listings=[selected[k] for k in ("organization_versions", "member_listings", "cycles")],
            sources=[selected["insights"], selected["reported_metrics"]],
        ),
        build_consumption_schedule(
            selected["consumption"], settings.lookback_days, names, schedules, in_process_executor
        ),
    ]
    return Definitions(
        assets=assets,
        asset_checks=checks,
        # Each schedule's job listed once: a defs folder copies each definition to add its
        # metadata, and would otherwise copy a job once per schedule (a duplicate name).
        jobs=[
            *{schedule.job.name: schedule.job for schedule in timed}.values(),
            build_doctor_job(settings, names, api_key.env_var_name),  # launched by hand only
        ],
        schedules=timed,
        sensors=[build_failure_sensor(names)],
        # No executor: that is the project's policy. The schedules' jobs run in-process
        # (their own executor_def): every step writes DuckDB in the instance's pool (limit 1).
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
