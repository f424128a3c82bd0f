"""Writes session versions day by day: a day's stage file merged in one transaction.

The merge deletes the stored rows with a staged key and inserts the stage (docs/dagster-notes.md: an
anti-join delete + insert is ~60x faster than a primary-key upsert in DuckDB). Nothing of a
day is visible until its COMMIT, and a failure before it rolls back to the table as it was.
DuckDB reads the stage file itself, so the day's rows never sit in Python's memory.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from devin_pipeline.warehouse.connection import transaction
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

MEMORY_LIMIT = "100MB"
# DuckDB settings while a run writes (benchmarks/ingest.py measured them, 1M versions).
WRITE_SETTINGS = {
    # By default any commit of over 100 KB checkpoints at once, and a checkpoint rewrites the
    # table's open row group: per-day commits rewrote each one ~4 times (~2x the CPU). Daily
    # commits go to the WAL instead, and a checkpoint runs every 64 MB of it.
    "auto_checkpoint_skip_wal_threshold": "1000000000000",
    "checkpoint_threshold": "'64MB'",
    # DuckDB otherwise keeps up to 80% of RAM of table blocks cached (1.2 GB RSS at 1M
    # versions); bounded, it evicts cold blocks and spills what is not checkpointed yet.
    # A merge's own memory grows with its day: one too big for the bound is retried under
    # the connection's own limit (commit_day).
    "memory_limit": f"'{MEMORY_LIMIT}'",
    # A merge over 2 s would draw a progress bar on the run's stdout.
    "enable_progress_bar": "false",
}


@dataclass(frozen=True)
class DayCommit:
    """What one committed day changed."""

    day: date
    rows: int
    new_versions: int
    replaced_versions: int


class SnapshotStore:
    """The single writer of `<schema>.session_snapshots` for one run (DuckDB allows one)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA) -> None:
        self._conn = conn
        self._schema = schema
        self._roomy_limit: str | None = None  # the connection's own, during write_settings

    def commit_day(self, day: date, stage: Path | None) -> DayCommit:
        """Merges the day's stage file (None: nothing fetched) into the table in one transaction."""
        if stage is None:
            return DayCommit(day, 0, 0, 0)
        self._conn.execute(load_sql("create_stage_reader", self._schema))
        try:
            return self._merge(day, str(stage))
        except duckdb.OutOfMemoryException:
            if self._roomy_limit is None:
                raise
            # A merge needs memory in proportion to its day; a rare huge day gets the
            # connection's own limit rather than failing the run (it rolled back whole).
            with self._memory_limit(self._roomy_limit):
                return self._merge(day, str(stage))

    def _merge(self, day: date, path: str) -> DayCommit:
        schema = self._schema
        with transaction(self._conn) as conn:
            replaced = 0
            # A day never stored before (a first backfill) has nothing to replace.
            if _count(conn.execute(load_sql("count_day_versions", schema), {"day": day})):
                delete = load_sql("delete_staged_versions", schema)
                replaced = _count(conn.execute(delete, {"path": path, "day": day}))
            insert = load_sql("insert_staged_versions", schema)
            rows = _count(conn.execute(insert, {"path": path}))
        return DayCommit(day, rows, rows - replaced, replaced)

    @contextmanager
    def write_settings(self) -> Iterator[None]:
        """Applies WRITE_SETTINGS for the run, then restores what the connection had."""
        before = {
            name: self._conn.execute("SELECT current_setting($name)", {"name": name}).fetchone()
            for name in WRITE_SETTINGS
        }
        for name, value in WRITE_SETTINGS.items():
            self._conn.execute(f"SET {name} = {value}")
        memory = before["memory_limit"]
        self._roomy_limit = str(memory[0]) if memory else None
        try:
            yield
            self._conn.execute("CHECKPOINT")  # here, bounded: closing would do it unbounded
        finally:
            self._roomy_limit = None
            for name, row in before.items():
                self._conn.execute(f"SET {name} = $value", {"value": row[0] if row else None})

    @contextmanager
    def _memory_limit(self, value: str) -> Iterator[None]:
        self._conn.execute("SET memory_limit = $value", {"value": value})
        try:
            yield
        finally:
            self._conn.execute(f"SET memory_limit = {WRITE_SETTINGS['memory_limit']}")

    @contextmanager
    def stage_directory(self) -> Iterator[Path]:
        """A private directory for the run's stage files, beside the database file.

        Beside it because that disk has room for the data by definition, where /tmp may be
        small or in memory; removed with everything in it when the run ends, even on error.
        A killed run cannot remove its own: this run holds the file's write lock, so any other
        stage directory of this database is a dead run's, and is removed first.
        """
        database = self._database_path()
        if database is None:  # an in-memory database: no file, no other run
            with tempfile.TemporaryDirectory(prefix=".devin-stage-") as d:
                yield Path(d)
            return
        prefix = f".{database.name}-stage-"
        for stale in database.parent.glob(f"{prefix}*"):
            shutil.rmtree(stale, ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix=prefix, dir=database.parent) as d:
            yield Path(d)

    def preview(self, day: date) -> list[tuple[object, ...]]:
        """A few rows of a committed day, for the materialization's metadata."""
        return self._conn.execute(
            load_sql("select_snapshot_preview", self._schema), {"day": day}
        ).fetchall()

    def _database_path(self) -> Path | None:
        row = self._conn.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
        return Path(row[0]).resolve() if row and row[0] else None


def _count(result: duckdb.DuckDBPyConnection) -> int:
    row = result.fetchone()
    return int(row[0]) if row else 0
