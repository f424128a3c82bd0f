"""The schedules ask for the right partitions at a given tick."""

from __future__ import annotations

from datetime import UTC, date, datetime

import dagster as dg
import pytest

from devin_pipeline.assets.billing import build_billing_assets
from devin_pipeline.assets.session_snapshots import build_session_snapshots
from devin_pipeline.partitions import billing_partitions, daily_partitions
from devin_pipeline.schedules import (
    RANGE_END_TAG,
    RANGE_START_TAG,
    build_consumption_schedule,
    build_schedules,
)
from devin_pipeline.settings import Settings


def schedules_for(lookback: int) -> dict[str, dg.ScheduleDefinition]:
    settings = Settings(partitions_start=date(2024, 1, 1), lookback_days=lookback)
    snapshots = build_session_snapshots(daily_partitions(settings.partitions_start), settings)
    return {s.name: s for s in build_schedules(snapshots, lookback)}


def requests_at(schedule: dg.ScheduleDefinition, tick: datetime) -> list[dg.RunRequest]:
    context = dg.build_schedule_context(scheduled_execution_time=tick)
    result = schedule.evaluate_tick(context)
    return list(result.run_requests or [])


@pytest.mark.parametrize(
    ("lookback", "first", "last"),
    [
        (2, "2024-06-07", "2024-06-09"),
        (0, "2024-06-09", "2024-06-09"),
        (5, "2024-06-04", "2024-06-09"),
    ],
)
def test_daily_schedule_fetches_the_ended_day_and_its_lookback_in_one_run(lookback, first, last):
    daily = schedules_for(lookback)["daily_session_snapshots"]
    assert daily.cron_schedule == "15 0 * * *" and daily.execution_timezone == "UTC"
    assert daily.default_status == dg.DefaultScheduleStatus.RUNNING
    [request] = requests_at(daily, datetime(2024, 6, 10, 0, 15, tzinfo=UTC))
    assert request.tags[RANGE_START_TAG] == first
    assert request.tags[RANGE_END_TAG] == last


def test_daily_schedule_crosses_month_and_year_ends():
    daily = schedules_for(2)["daily_session_snapshots"]
    [request] = requests_at(daily, datetime(2025, 1, 1, 0, 15, tzinfo=UTC))
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (
        "2024-12-29",
        "2024-12-31",
    )


def test_hourly_schedule_is_off_by_default_and_fetches_today():
    hourly = schedules_for(2)["hourly_in_progress_day"]
    assert hourly.default_status == dg.DefaultScheduleStatus.STOPPED
    [request] = requests_at(hourly, datetime(2024, 6, 10, 13, 5, tzinfo=UTC))
    assert request.tags[RANGE_START_TAG] == request.tags[RANGE_END_TAG] == "2024-06-10"


def test_the_in_progress_day_is_a_partition():
    today = datetime.now(UTC).date().isoformat()
    assert today in daily_partitions(date(2024, 1, 1)).get_partition_keys()


@pytest.mark.parametrize(
    ("tick", "first", "last"),
    [
        # 08:30 UTC: billing day 2024-06-09 ended at 08:00; two days of lookback before it.
        (datetime(2024, 6, 10, 8, 30, tzinfo=UTC), "2024-06-07", "2024-06-09"),
        (datetime(2025, 1, 1, 8, 30, tzinfo=UTC), "2024-12-29", "2024-12-31"),
    ],
)
def test_consumption_schedule_reads_the_billing_day_that_ended_and_its_lookback(tick, first, last):
    settings = Settings(partitions_start=date(2024, 1, 1), lookback_days=2)
    consumption, _ = build_billing_assets(settings)
    schedule = build_consumption_schedule(consumption, settings.lookback_days)
    assert schedule.cron_schedule == "30 8 * * *" and schedule.execution_timezone == "UTC"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    [request] = requests_at(schedule, tick)
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (first, last)
    keys = billing_partitions(settings.partitions_start).get_partition_keys()
    assert first in keys and last in keys


def test_a_billing_day_partition_is_the_day_from_08_00_utc():
    window = billing_partitions(date(2024, 1, 1)).time_window_for_partition_key("2024-06-09")
    assert window.start == datetime(2024, 6, 9, 8, tzinfo=UTC)
    assert window.end == datetime(2024, 6, 10, 8, tzinfo=UTC)


def test_the_daily_job_reads_devin_metrics_over_the_same_range():
    from devin_pipeline.definitions import build_defs
    from devin_pipeline.settings import Settings

    defs = build_defs(Settings())
    job = defs.resolve_job_def("daily_ingestion_job")
    keys = {key.to_user_string() for key in job.asset_layer.executable_asset_keys}
    assert {"devin/session_snapshots", "devin/reported_metrics", "devin/member_listings"} <= keys
    assert "devin/users" not in keys, "users is derived: it follows by automation"
