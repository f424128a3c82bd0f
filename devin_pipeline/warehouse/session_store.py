"""Keeps the per-session state every derived table starts from: `<schema>.sessions` (each
session's latest version), `version_acus` (each version's ACU attribution) and
`session_pull_requests` (each session's PRs and the days it showed them).

Each is a function of a session's own versions, so a refresh replaces the rows of the
sessions with a version on a changed snapshot day and nothing else, then logs the days those
sessions touch as changes of `sessions` for the tables derived from it (change_log.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from devin_pipeline.warehouse.change_log import (
    fingerprint,
    log_rebuilt,
    next_change_id,
    refreshing,
)
from devin_pipeline.warehouse.connection import count_rows, create_version_table
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

ALL = "true"
REFRESH_SESSIONS = "session_id IN (SELECT session_id FROM refresh_sessions)"
# Every version of refresh_sessions, bounded by their first and last snapshot day so that
# DuckDB's zone maps skip the row groups of all other days (the snapshots are day-ordered).
REFRESH_VERSIONS = f"snapshot_date BETWEEN $first_day AND $last_day AND {REFRESH_SESSIONS}"
# The same rows of version_acus, day-ordered like the snapshots.
REFRESH_ATTRIBUTIONS = f"metric_date BETWEEN $first_day AND $last_day AND {REFRESH_SESSIONS}"


@dataclass(frozen=True)
class StateTable:
    """A table of per-session state: its statements, and which of its rows a refresh deletes."""

    name: str
    insert: str
    create: str | None = None  # None: sessions, created by create_version_table
    delete_scope: str = REFRESH_SESSIONS


STATE_TABLES = (
    StateTable("session_spans", "insert_session_spans", "create_session_spans_table"),
    StateTable("sessions", "insert_latest_versions"),
    StateTable(
        "version_acus",
        "insert_version_acus",
        "create_version_acus_table",
        REFRESH_ATTRIBUTIONS,
    ),
    StateTable(
        "session_pull_requests",
        "insert_session_pull_requests",
        "create_session_pull_requests_table",
    ),
)
SESSIONS_SQL = (
    "create_session_group_macro",
    "create_version_table",
    "insert_latest_versions",
    "insert_session_changes",
    "select_refresh_session_days",
    "delete_refresh_session_rows",
    *(sql for table in STATE_TABLES for sql in (table.create, table.insert) if sql),
)


def refresh_sessions(
    conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA, incremental: bool = True
) -> int:
    """Brings `sessions` and the state kept with it up to date; returns the sessions' rows."""
    with refreshing(
        conn, schema, "sessions",
        sources=["session_snapshots"],
        tables=[table.name for table in STATE_TABLES],
        fingerprint=fingerprint(*SESSIONS_SQL), incremental=incremental,
    ) as refresh:  # fmt: skip
        if refresh.full:
            _rebuild(conn, schema)
        else:
            _replace_changed(conn, schema)
    return count_rows(conn, f"{schema}.sessions")


def _rebuild(conn: duckdb.DuckDBPyConnection, schema: str) -> None:
    conn.execute(load_sql("create_session_group_macro", schema))
    for table in STATE_TABLES:
        if table.create:
            conn.execute(load_sql(table.create, schema))
        else:
            create_version_table(conn, schema, table.name, replace=True)
        conn.execute(load_sql(table.insert, schema, session_scope=ALL, group_scope=ALL))
    log_rebuilt(conn, schema, "sessions")


def _replace_changed(conn: duckdb.DuckDBPyConnection, schema: str) -> None:
    source = {"source": "session_snapshots"}
    conn.execute(load_sql("create_refresh_sessions", schema), {**source, "kind": "versions"})
    row = conn.execute(load_sql("select_refresh_session_days", schema), source).fetchone()
    bounds = {"first_day": row[0] if row else None, "last_day": row[1] if row else None}
    conn.execute(load_sql("create_session_group_macro", schema))
    log = load_sql("insert_session_changes", schema, attribution_scope=REFRESH_ATTRIBUTIONS)
    change = {"change_id": next_change_id(conn, schema), **bounds}
    conn.execute(log, change)  # the days of the rows about to be replaced
    for table in STATE_TABLES:
        delete = load_sql(
            "delete_refresh_session_rows",
            schema,
            table=f"{schema}.{table.name}",
            session_scope=table.delete_scope,
        )
        conn.execute(delete, bounds if "$first_day" in table.delete_scope else None)
        insert = load_sql(
            table.insert, schema, session_scope=REFRESH_VERSIONS, group_scope=REFRESH_ATTRIBUTIONS
        )
        conn.execute(insert, bounds)
    conn.execute(log, change)
