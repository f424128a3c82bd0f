"""`DuckDBWarehouse`: dagster-duckdb's resource, waiting for another process's write lock.

DuckDB lets one process at a time open a file for writing. The pool `duckdb_writer` queues
our own steps, but Dagster's slot claim is not atomic: runs that claim an idle pool at the same
instant can all get it (README, Failure semantics). DuckDB's file lock is then the guarantee,
and the loser must wait for it as long as a run can take, not the ~100 s DuckDBResource allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from dagster import get_dagster_logger
from dagster_duckdb import DuckDBResource
from pydantic import Field
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_delay,
    wait_exponential_jitter,
)

from devin_pipeline.warehouse.file_modes import PRIVATE_FILE, local_path, make_private

DEFAULT_LOCK_WAIT_SECONDS = 1800.0
_HOLDER = re.compile(r"Conflicting lock is held in (.+?)\. See also")


class WarehouseLockedError(RuntimeError):
    """Another process held the DuckDB file for longer than DEVIN_DUCKDB_LOCK_WAIT."""


class DuckDBWarehouse(DuckDBResource):
    """The warehouse file, opened for writing once no other process holds it."""

    lock_wait_seconds: float = Field(
        default=DEFAULT_LOCK_WAIT_SECONDS,
        description="How long to wait for another process's lock on the file (seconds).",
    )

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        conn = connect_when_unlocked(
            self.database,
            {"custom_user_agent": "dagster", **self.connection_config},
            self.lock_wait_seconds,
        )
        try:
            yield conn
        finally:
            conn.close()


def connect_when_unlocked(
    database: str, config: dict[str, Any], wait_seconds: float
) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried while another process holds the file, for up to wait_seconds."""
    retrying = Retrying(
        retry=retry_if_exception(_is_lock_conflict),
        wait=wait_exponential_jitter(multiplier=0.05, max=5.0, jitter=0.1),
        stop=stop_after_delay(wait_seconds),
        before_sleep=_log_wait(database, wait_seconds),
    )
    path = local_path(database)
    existed = path is not None and path.exists()
    try:
        conn = retrying(duckdb.connect, database=database, read_only=False, config=config)
    except RetryError as exc:
        error = exc.last_attempt.exception()
        raise WarehouseLockedError(
            f"{database} stayed locked by {lock_holder(error)} for {wait_seconds:.0f} s. "
            "Another run or an open DuckDB session (a CLI, a notebook) holds it: close it, "
            "or raise DEVIN_DUCKDB_LOCK_WAIT."
        ) from None
    if path is not None:
        _keep_private(path, existed)
    return conn


def _keep_private(path: Path, existed: bool) -> None:
    """Owner-only: a new file at once (DuckDB creates it with the umask's mode), an existing
    one narrowed, and said so, when someone widened it."""
    before = make_private(path)
    if before is not None and existed:
        get_dagster_logger().warning(
            f"{path} was readable by other users (mode {before:04o}): narrowed to "
            f"{PRIVATE_FILE:04o}, since it holds names, emails and what people typed."
        )


def lock_holder(error: BaseException | None) -> str:
    """The process DuckDB names as holding the file, e.g. '/usr/bin/python3 (PID 4242)'."""
    found = _HOLDER.search(str(error))
    return found.group(1) if found else "another process"


def _is_lock_conflict(error: BaseException) -> bool:
    return isinstance(error, duckdb.IOException) and "Could not set lock" in str(error)


def _log_wait(database: str, wait_seconds: float) -> Any:
    def log(state: RetryCallState) -> None:
        # The first conflict, then every sixth attempt: about every 30 s once backoff tops out.
        if state.attempt_number % 6 != 1:
            return
        error = state.outcome.exception() if state.outcome else None
        get_dagster_logger().info(
            f"Waiting for the write lock on {database}, held by {lock_holder(error)} "
            f"({state.seconds_since_start or 0:.0f} s of {wait_seconds:.0f} s)"
        )

    return log
