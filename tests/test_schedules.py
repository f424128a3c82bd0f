"""The schedules ask for the right partitions at a given tick."""

from __future__ import annotations

from datetime import UTC, date, datetime

import dagster as dg
import pytest

from devin_pipeline.assets.session_snapshots import build_session_snapshots
from devin_pipeline.partitions import daily_partitions
from devin_pipeline.schedules import RANGE_END_TAG, RANGE_START_TAG, build_schedules
from devin_pipeline.settings import Settings


def schedules_for(lookback: int) -> dict[str, dg.ScheduleDefinition]:
    settings = Settings(partitions_start=date(2024, 1, 1), lookback_days=lookback)
    snapshots = build_session_snapshots(daily_partitions(settings.partitions_start), settings)
    return {s.name: s for s in build_schedules(snapshots, [], lookback)}


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
