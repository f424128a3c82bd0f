"""When snapshots are fetched: each UTC day soon after it ends, with a lookback for late updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

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


def build_schedules(
    snapshots: AssetsDefinition,
    lookback_days: int,
    names: InstanceNames = DEFAULT_NAMES,
    settings: ScheduleSettings = ScheduleSettings(),  # frozen: safe to share
    executor: ExecutorDefinition | None = None,
) -> list[ScheduleDefinition]:
    """The daily schedule (on by default) and the hourly in-progress-day one (off)."""
    job = define_asset_job(
        names.scoped(SNAPSHOTS_JOB), selection=[snapshots], executor_def=executor
    )

    @schedule(
        name=names.scoped("daily_session_snapshots"),
        cron_schedule=settings.daily_cron,
        execution_timezone="UTC",
        job=job,
        default_status=_status(settings.daily_enabled),
        description=f"At {settings.daily_cron} (cron, UTC): the day that just ended plus "
        f"{lookback_days} day(s) of lookback for late updates, as one run.",
    )
    def daily_session_snapshots(context: ScheduleEvaluationContext) -> RunRequest:
        ended = (context.scheduled_execution_time - timedelta(days=1)).date()
        first = ended - timedelta(days=lookback_days)
        return _range_request(first.isoformat(), ended.isoformat())

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


def _status(enabled: bool) -> DefaultScheduleStatus:
    return DefaultScheduleStatus.RUNNING if enabled else DefaultScheduleStatus.STOPPED


def _range_request(first: str, last: str) -> RunRequest:
    """One run for the whole range (the asset's backfill policy is single-run)."""
    return RunRequest(
        run_key=f"{first}...{last}",
        tags={RANGE_START_TAG: first, RANGE_END_TAG: last},
    )
