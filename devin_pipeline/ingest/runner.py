"""Ingests a list of days: bounded concurrent window walks feeding one DuckDB writer.

Fetch threads walk day windows and append each page's new versions to the day's stage file;
the calling thread is the only writer (DuckDB has one) and commits each day as soon as its
walk ends. Memory stays flat whatever the range: a page is held only while it is written out,
and a bounded queue caps the finished days waiting on disk. After the first failure no
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
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from devin_pipeline.ingest.day_walk import DayWalk, walk_day
from devin_pipeline.ingest.regions import WalkHints
from devin_pipeline.ingest.stage_file import StageFile
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.warehouse.snapshot_store import DayCommit, SnapshotStore
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA

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
class _Done:
    day: date
    stage: StageFile | None
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
    schema: str = DEFAULT_SCHEMA,
) -> IngestReport:
    """Fetches `days` with up to `concurrency` windows at once and commits each day alone."""
    started = time.monotonic()
    report = IngestReport()
    store = SnapshotStore(conn, schema)
    # Finished days wait here for the writer; the bound caps the stage files on disk.
    finished: queue.Queue[_Done] = queue.Queue(maxsize=concurrency)
    stop = _StopFlag()
    with (
        store.write_settings(),
        store.stage_directory() as directory,
        ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="day-walk") as pool,
    ):
        fetch = partial(_fetch_day, api, filters, verify, WalkHints(), directory, finished, stop)
        for day in days:
            pool.submit(fetch, day)
        _write(store, finished, len(days), report, stop, on_commit)
    report.seconds = time.monotonic() - started
    return report


class _StopFlag:
    """Tells fetch threads that the run already failed, so they stop early."""

    def __init__(self) -> None:
        self.set = False


def _fetch_day(
    api: DevinAPIResource,
    filters: Mapping[str, Any],
    verify: bool,
    hints: WalkHints,
    directory: Path,
    finished: queue.Queue[_Done],
    stop: _StopFlag,
    day: date,
) -> None:
    """Walks one day into its stage file; reports to the writer whatever happens."""
    if stop.set:
        finished.put(_Done(day, None, None, _CancelledError()))
        return
    stage = StageFile(directory / f"{day:%Y-%m-%d}.tsv")

    def send(items: list[dict[str, Any]]) -> None:
        if stop.set:
            raise _CancelledError
        stage.append(items, datetime.now(UTC))

    try:
        walk = walk_day(api, day, filters, send, verify, hints)
        stage.close()
        finished.put(_Done(day, stage, walk))
    except BaseException as exc:
        stage.remove()
        finished.put(_Done(day, None, None, exc))


class _CancelledError(Exception):
    """A day abandoned because another day already failed the run."""


def _write(
    store: SnapshotStore,
    finished: queue.Queue[_Done],
    pending: int,
    report: IngestReport,
    stop: _StopFlag,
    on_commit: Callable[[DayCommit, IngestReport], None] | None,
) -> None:
    """The writer loop: commit each finished day, or discard it after a failure."""
    while pending:
        message = finished.get()
        pending -= 1
        commit = _settle(store, message, report, stop)
        if commit is None:
            continue
        report.commits.append(commit)
        if message.walk:
            report.walks.append(message.walk)
        if on_commit:
            try:
                on_commit(commit, report)
            except Exception as exc:  # keep draining: fetch threads block on a full queue
                _record_failure(report, _Done(commit.day, None, None, exc), stop)


def _settle(
    store: SnapshotStore, message: _Done, report: IngestReport, stop: _StopFlag
) -> DayCommit | None:
    """Commits one finished day, unless it or the run failed; its stage file goes either way."""
    stage = message.stage
    try:
        if message.error is not None or stop.set:
            _record_failure(report, message, stop)
            return None
        return store.commit_day(message.day, stage.path if stage and stage.rows else None)
    except BaseException as exc:
        _record_failure(report, _Done(message.day, None, None, exc), stop)
        return None
    finally:
        if stage is not None:
            stage.remove()


def _record_failure(report: IngestReport, message: _Done, stop: _StopFlag) -> None:
    stop.set = True
    if report.error is None and not isinstance(message.error, _CancelledError):
        report.error = message.error
        report.failed_day = message.day
