"""DuckDB connections that always compute dates in UTC, whatever the process's TZ."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from devin_pipeline.warehouse.file_modes import local_path, private_directory
from devin_pipeline.warehouse.schema_version import stamp_schema_version
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

# Created on every connection, so the metrics and checks can always join them.
SOURCE_TABLES = (
    "organization_versions",
    "organization_listings",
    "organizations",
    "member_listings",
    "users",
    "acu_consumption",
    "reported_metrics",
)
# The log of changed days and what each derived table applied of it (warehouse/change_log.py).
CHANGE_TRACKING = (
    "create_change_id_sequence",
    "create_change_log_table",
    "create_derived_state_table",
)


def prepare(
    conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA
) -> duckdb.DuckDBPyConnection:
    """Pins the session to UTC and creates `schema` and its source tables if missing.

    DuckDB takes its TimeZone from the process's TZ, which would shift CAST(ts AS DATE);
    it cannot be passed to connect(), only SET afterwards (docs/dagster-notes.md).
    """
    conn.execute("SET TimeZone = 'UTC'")
    conn.execute("SET enable_progress_bar = false")  # it would print into Dagster's step logs
    conn.execute(load_sql("create_schema", schema))
    stamp_schema_version(conn, schema)
    create_version_table(conn, schema, "session_snapshots", replace=False)
    for table in SOURCE_TABLES:
        conn.execute(load_sql(f"create_{table}_table", schema))
    for statement in CHANGE_TRACKING:
        conn.execute(load_sql(statement, schema))
    return conn


def create_version_table(
    conn: duckdb.DuckDBPyConnection, schema: str, name: str, replace: bool
) -> None:
    """Creates `schema.name` with the columns of a session version (snapshots and sessions).

    With `replace`, an existing table is replaced by an empty one; otherwise it is kept.
    """
    create = "CREATE OR REPLACE TABLE" if replace else "CREATE TABLE IF NOT EXISTS"
    sql = load_sql("create_version_table", schema, create=create, table=f"{schema}.{name}")
    conn.execute(sql)


@contextmanager
def utc_connection(
    duckdb_resource: DuckDBResource, schema: str = DEFAULT_SCHEMA
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection prepared for `schema`, from the Dagster resource (which retries a lock)."""
    path = local_path(duckdb_resource.database)
    if path is not None:
        private_directory(path.parent)  # owner-only when the pipeline creates it
    with duckdb_resource.get_connection() as conn:
        # DuckDBResource closes only on success; an open handle would keep the file locked.
        try:
            yield prepare(conn, schema)
        finally:
            conn.close()


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, rolled back on any error: a failed write leaves the tables as they were."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def registered(
    conn: duckdb.DuckDBPyConnection, name: str, rows: list[dict[str, Any]], schema: pa.Schema
) -> Iterator[None]:
    """`rows` readable by SQL as the view `name` for the block: how a run's rows reach DuckDB."""
    conn.register(name, pa.Table.from_pylist(rows, schema=schema))
    try:
        yield
    finally:
        conn.unregister(name)


def count_rows(conn: duckdb.DuckDBPyConnection, qualified_name: str) -> int:
    """Rows of one of the package's tables (a name, never user input)."""
    row = conn.execute(f"SELECT count(*) FROM {qualified_name}").fetchone()
    return int(row[0]) if row else 0
