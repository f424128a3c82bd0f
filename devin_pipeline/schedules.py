"""When snapshots are fetched: each UTC day soon after it ends, with a lookback for late updates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from dagster import (
    AssetsDefinition,
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def build_schedules(
    snapshots: AssetsDefinition, listings: Sequence[AssetsDefinition], lookback_days: int
) -> list[ScheduleDefinition]:
    """The daily schedule (on) and the hourly in-progress-day schedule (off by default).

    The daily run also lists organizations and people (`listings`), unpartitioned: their
    assets materialize once per run, whatever the range.
    """
    job = define_asset_job("session_snapshots_job", selection=[snapshots])
    daily_job = define_asset_job("daily_ingestion_job", selection=[snapshots, *listings])

    @schedule(
        name="daily_session_snapshots",
        cron_schedule="15 0 * * *",
        execution_timezone="UTC",
        job=daily_job,
        default_status=DefaultScheduleStatus.RUNNING,
        description=f"At 00:15 UTC: the day that just ended plus {lookback_days} day(s) of "
        "lookback for late updates, as one run, and the organization and people listings.",
    )
    def daily_session_snapshots(context: ScheduleEvaluationContext) -> RunRequest:
        ended = (context.scheduled_execution_time - timedelta(days=1)).date()
        first = ended - timedelta(days=lookback_days)
        return _range_request(first.isoformat(), ended.isoformat())

    @schedule(
        name="hourly_in_progress_day",
        cron_schedule="5 * * * *",
        execution_timezone="UTC",
        job=job,
        default_status=DefaultScheduleStatus.STOPPED,
        description="Every hour: re-fetch today's in-progress partition (off by default).",
    )
    def hourly_in_progress_day(context: ScheduleEvaluationContext) -> RunRequest:
        today = context.scheduled_execution_time.date().isoformat()
        return _range_request(today, today)

    return [daily_session_snapshots, hourly_in_progress_day]


def _range_request(first: str, last: str) -> RunRequest:
    """One run for the whole range (the asset's backfill policy is single-run)."""
    return RunRequest(
        run_key=f"{first}...{last}",
        tags={RANGE_START_TAG: first, RANGE_END_TAG: last},
    )


def build_consumption_schedule(
    consumption: AssetsDefinition, lookback_days: int
) -> ScheduleDefinition:
    """Each billing day soon after it ends (08:30 UTC), with a lookback: the API still revises
    recent days."""
    job = define_asset_job("acu_consumption_job", selection=[consumption])

    @schedule(
        name="daily_acu_consumption",
        cron_schedule="30 8 * * *",
        execution_timezone="UTC",
        job=job,
        default_status=DefaultScheduleStatus.RUNNING,
        description=f"At 08:30 UTC: the billing day that ended at 08:00 plus {lookback_days} "
        "day(s) of lookback for revised figures, as one run.",
    )
    def daily_acu_consumption(context: ScheduleEvaluationContext) -> RunRequest:
        ended = (context.scheduled_execution_time - timedelta(days=1)).date()
        first = ended - timedelta(days=lookback_days)
        return _range_request(first.isoformat(), ended.isoformat())

    return daily_acu_consumption
