"""Ingests a list of days: bounded concurrent window walks feeding one DuckDB writer.

Fetch threads walk day windows and turn pages into Arrow batches; the calling thread is the
only writer (DuckDB has one), staging batches and committing each day as soon as its walk
ends. A bounded queue keeps memory flat whatever the range. After the first failure no
further day is committed, and the days already committed stay.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from devin_pipeline.ingest.arrow_batches import items_to_batch
from devin_pipeline.ingest.day_walk import DayWalk, walk_day
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.warehouse.snapshot_store import DayCommit, SnapshotStore

QUEUE_BATCHES = 32
log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """The outcome of a run: committed days, and the first error if one stopped it."""

    commits: list[DayCommit] = field(default_factory=list)
    walks: list[DayWalk] = field(default_factory=list)
    error: BaseException | None = None
    failed_day: date | None = None
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(c.rows for c in self.commits)


@dataclass(frozen=True)
class _Batch:
    day: date
    table: pa.Table
    fetched_at: datetime


@dataclass(frozen=True)
class _Done:
    day: date
    walk: DayWalk | None
    error: BaseException | None = None


def ingest_days(
    api: DevinAPIResource,
    conn: duckdb.DuckDBPyConnection,
    days: list[date],
    filters: Mapping[str, Any],
    concurrency: int = 4,
    verify: bool = True,
    on_commit: Callable[[DayCommit, IngestReport], None] | None = None,
) -> IngestReport:
    """Fetches `days` with up to `concurrency` windows at once and commits each day alone."""
    started = time.monotonic()
    report = IngestReport()
    store = SnapshotStore(conn)
    inbox: queue.Queue[_Batch | _Done] = queue.Queue(maxsize=QUEUE_BATCHES)
    stop = _StopFlag()
    for day in days:
        store.open_day(day)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="day-walk") as pool:
        for day in days:
            pool.submit(_fetch_day, api, day, filters, verify, inbox, stop)
        _write(store, inbox, len(days), report, stop, on_commit)
    report.seconds = time.monotonic() - started
    return report


class _StopFlag:
    """Tells fetch threads that the run already failed, so they stop early."""

    def __init__(self) -> None:
        self.set = False


def _fetch_day(
    api: DevinAPIResource,
    day: date,
    filters: Mapping[str, Any],
    verify: bool,
    inbox: queue.Queue[_Batch | _Done],
    stop: _StopFlag,
) -> None:
    def send(items: list[dict[str, Any]]) -> None:
        if stop.set:
            raise _Cancelled
        inbox.put(_Batch(day, items_to_batch(items), datetime.now(UTC)))

    if stop.set:
        inbox.put(_Done(day, None, _Cancelled()))
        return
    try:
        inbox.put(_Done(day, walk_day(api, day, filters, send, verify)))
    except BaseException as exc:
        inbox.put(_Done(day, None, exc))


class _Cancelled(Exception):
    """A day abandoned because another day already failed the run."""


def _write(
    store: SnapshotStore,
    inbox: queue.Queue[_Batch | _Done],
    pending: int,
    report: IngestReport,
    stop: _StopFlag,
    on_commit: Callable[[DayCommit, IngestReport], None] | None,
) -> None:
    """The writer loop: stage batches, commit finished days, discard after a failure."""
    while pending:
        message = inbox.get()
        if isinstance(message, _Batch):
            _stage(store, message, report, stop)
            continue
        pending -= 1
        if message.error is not None or stop.set:
            store.discard_day(message.day)
            _record_failure(report, message, stop)
            continue
        try:
            commit = store.commit_day(message.day)
        except BaseException as exc:
            _record_failure(report, _Done(message.day, None, exc), stop)
            continue
        report.commits.append(commit)
        if message.walk:
            report.walks.append(message.walk)
        if on_commit:
            on_commit(commit, report)


def _stage(store: SnapshotStore, batch: _Batch, report: IngestReport, stop: _StopFlag) -> None:
    """Stages one batch; a write error fails the run but keeps the writer draining the queue."""
    if stop.set:
        return
    try:
        store.stage(batch.day, batch.table, batch.fetched_at)
    except Exception as exc:
        _record_failure(report, _Done(batch.day, None, exc), stop)


def _record_failure(report: IngestReport, message: _Done, stop: _StopFlag) -> None:
    stop.set = True
    if report.error is None and not isinstance(message.error, _Cancelled):
        report.error = message.error
        report.failed_day = message.day
