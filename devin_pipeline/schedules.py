"""When sources are read: each UTC day (and billing day) soon after it ends, with a lookback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dagster import (
    AssetsDefinition,
    DefaultScheduleStatus,
    ExecutorDefinition,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)

from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames
from devin_pipeline.partitions import BILLING_DAY_START_HOUR
from devin_pipeline.sensors import SNAPSHOTS_JOB

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


@dataclass(frozen=True)
class ScheduleSettings:
    """When the schedules tick (cron, UTC) and whether each starts on."""

    daily_cron: str = "15 0 * * *"
    daily_enabled: bool = True
    hourly_cron: str = "5 * * * *"
    hourly_enabled: bool = False
    consumption_cron: str = "30 8 * * *"
    consumption_enabled: bool = True


def build_schedules(
    snapshots: AssetsDefinition,
    lookback_days: int,
    names: InstanceNames = DEFAULT_NAMES,
    settings: ScheduleSettings = ScheduleSettings(),  # frozen: safe to share
    executor: ExecutorDefinition | None = None,
    listings: Sequence[AssetsDefinition] = (),
    sources: Sequence[AssetsDefinition] = (),
) -> list[ScheduleDefinition]:
    """The daily schedule (on by default) and the hourly in-progress-day one (off).

    The daily run also lists organizations, people and billing cycles (`listings`),
    unpartitioned: they materialize once per run, whatever the range; and reads the other
    sources partitioned by UTC day like the snapshots (`sources`: Devin's metrics, session
    insights, whose lookback brings late analyses) over the same range. The hourly one
    fetches snapshots only.
    """
    job = define_asset_job(
        names.scoped(SNAPSHOTS_JOB), selection=[snapshots], executor_def=executor
    )
    daily_job = define_asset_job(
        names.scoped("daily_ingestion_job"),
        selection=[snapshots, *listings, *sources],
        executor_def=executor,
    )

    @schedule(
        name=names.scoped("daily_session_snapshots"),
        cron_schedule=settings.daily_cron,
        execution_timezone="UTC",
        job=daily_job,
        default_status=_status(settings.daily_enabled),
        description=f"At {settings.daily_cron} (cron, UTC): the day that just ended plus "
        f"{lookback_days} day(s) of lookback for late updates, as one run, and the "
        "organization and people listings.",
    )
    def daily_session_snapshots(context: ScheduleEvaluationContext) -> RunRequest:
        return _lookback_request(context.scheduled_execution_time, lookback_days)

    @schedule(
        name=names.scoped("hourly_in_progress_day"),
        cron_schedule=settings.hourly_cron,
        execution_timezone="UTC",
        job=job,
        default_status=_status(settings.hourly_enabled),
        description=f"At {settings.hourly_cron} (cron, UTC): re-fetch today's in-progress "
        "partition (off by default).",
    )
    def hourly_in_progress_day(context: ScheduleEvaluationContext) -> RunRequest:
        today = context.scheduled_execution_time.date().isoformat()
        return _range_request(today, today)

    return [daily_session_snapshots, hourly_in_progress_day]


def build_consumption_schedule(
    consumption: AssetsDefinition,
    lookback_days: int,
    names: InstanceNames = DEFAULT_NAMES,
    settings: ScheduleSettings = ScheduleSettings(),
    executor: ExecutorDefinition | None = None,
) -> ScheduleDefinition:
    """Each billing day soon after it ends (08:30 UTC by default), with a lookback: the API
    still revises recent days."""
    job = define_asset_job(
        names.scoped("acu_consumption_job"), selection=[consumption], executor_def=executor
    )

    @schedule(
        name=names.scoped("daily_acu_consumption"),
        cron_schedule=settings.consumption_cron,
        execution_timezone="UTC",
        job=job,
        default_status=_status(settings.consumption_enabled),
        description=f"At {settings.consumption_cron} (cron, UTC): the billing day that ended "
        f"at 08:00 UTC plus {lookback_days} day(s) of lookback for revised figures, as one run.",
    )
    def daily_acu_consumption(context: ScheduleEvaluationContext) -> RunRequest:
        tick = context.scheduled_execution_time
        return _lookback_request(tick, lookback_days, BILLING_DAY_START_HOUR)

    return daily_acu_consumption


def _status(enabled: bool) -> DefaultScheduleStatus:
    return DefaultScheduleStatus.RUNNING if enabled else DefaultScheduleStatus.STOPPED


def _lookback_request(tick: datetime, lookback_days: int, day_start_hour: int = 0) -> RunRequest:
    """The day that ended at the tick's latest day start, and `lookback_days` before it."""
    ended = (tick - timedelta(hours=day_start_hour, days=1)).date()
    return _range_request((ended - timedelta(days=lookback_days)).isoformat(), ended.isoformat())


def _range_request(first: str, last: str) -> RunRequest:
    """One run for the whole range (the asset's backfill policy is single-run)."""
    return RunRequest(
        run_key=f"{first}...{last}",
        tags=range_tags(first, last),
    )


def range_tags(first: str, last: str) -> dict[str, str]:
    """The tags that make one run of a partition range (first..last, both included)."""
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}
