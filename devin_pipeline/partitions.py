"""Daily UTC partitions keyed by the day of a session version's `updated_at`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dagster import DailyPartitionsDefinition


def daily_partitions(start: date) -> DailyPartitionsDefinition:
    """UTC days from `start`, including today's in-progress day (for the hourly schedule)."""
    return DailyPartitionsDefinition(
        start_date=start.isoformat(), timezone="UTC", end_offset=1, fmt="%Y-%m-%d"
    )


def day_bounds(day: date) -> tuple[int, int]:
    """Epoch seconds of [day 00:00:00, day+1 00:00:00) in UTC."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return int(start.timestamp()), int((start + timedelta(days=1)).timestamp())


def days_in_range(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# Devin bills by days that start at midnight PST, a fixed 08:00 UTC (docs/api.md).
BILLING_DAY_START_HOUR = 8


def billing_partitions(start: date) -> DailyPartitionsDefinition:
    """Billing days B = [B 08:00 UTC, B+1 08:00 UTC) from `start`, up to the last ended one."""
    return DailyPartitionsDefinition(
        start_date=start.isoformat(),
        timezone="UTC",
        hour_offset=BILLING_DAY_START_HOUR,
        fmt="%Y-%m-%d",
    )


def billing_day_bounds(first: date, last: date) -> tuple[int, int]:
    """Epoch seconds of [first 08:00 UTC, last+1 08:00 UTC): requests aligned to billing days."""
    start, _ = day_bounds(first)
    _, end = day_bounds(last)
    offset = BILLING_DAY_START_HOUR * 3600
    return start + offset, end + offset


def billing_day_of_entry(epoch_seconds: int) -> date:
    """The billing day a consumption entry's `date` stands for.

    Which instant of its day `date` marks is undocumented (08:00 UTC, UTC midnight, 07:00
    UTC, ...); every reading lies within [B 00:00, B 08:00] UTC, so 12 hours later is on UTC
    date B for all of them.
    """
    return datetime.fromtimestamp(epoch_seconds + 12 * 3600, UTC).date()
