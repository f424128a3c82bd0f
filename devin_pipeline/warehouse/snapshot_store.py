"""Writes session versions day by day: pages to a temp stage, then one transaction per day.

The merge deletes the stored rows with a staged key and inserts the stage (NOTES.md: an
anti-join delete + insert is ~60x faster than a primary-key upsert in DuckDB). Nothing of a
day is visible until its COMMIT, and a failure before it rolls back to the table as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pyarrow as pa

from devin_pipeline.warehouse.connection import transaction
from devin_pipeline.warehouse.sql_files import load_sql


@dataclass(frozen=True)
class DayCommit:
    """What one committed day changed."""

    day: date
    rows: int
    new_versions: int
    replaced_versions: int


class SnapshotStore:
    """The single writer of `devin.session_snapshots` for one run (DuckDB allows one)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._conn = conn
        self._staged: dict[date, int] = {}

    def open_day(self, day: date) -> None:
        """Creates the day's empty stage (a temp table, gone if the process dies)."""
        self._conn.execute(load_sql("create_snapshot_stage").format(stage=_stage(day)))
        self._staged[day] = 0

    def stage(self, day: date, batch: pa.Table, fetched_at: datetime) -> None:
        """Adds one page's Arrow batch to the day's stage."""
        self._conn.register("page_batch", batch)
        try:
            sql = load_sql("insert_page_into_stage").format(stage=_stage(day), batch="page_batch")
            self._conn.execute(sql, {"fetched_at": fetched_at})
        finally:
            self._conn.unregister("page_batch")
        self._staged[day] += batch.num_rows

    def commit_day(self, day: date) -> DayCommit:
        """Merges the stage into the table in one transaction, then drops the stage."""
        stage = _stage(day)
        with transaction(self._conn) as conn:
            replaced = _count(conn.execute(load_sql("delete_staged_versions").format(stage=stage)))
            conn.execute(load_sql("insert_staged_versions").format(stage=stage))
        self.discard_day(day)
        rows = self._staged.pop(day, 0)
        return DayCommit(day, rows, rows - replaced, replaced)

    def discard_day(self, day: date) -> None:
        """Drops a stage without writing it (its day failed)."""
        self._conn.execute(f"DROP TABLE IF EXISTS {_stage(day)}")

    def preview(self, day: date) -> list[tuple[object, ...]]:
        """A few rows of a committed day, for the materialization's metadata."""
        return self._conn.execute(load_sql("select_snapshot_preview"), {"day": day}).fetchall()


def _stage(day: date) -> str:
    return f"stage_snapshots_{day:%Y%m%d}"


def _count(result: duckdb.DuckDBPyConnection) -> int:
    row = result.fetchone()
    return int(row[0]) if row else 0
