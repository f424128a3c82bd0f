"""Why a dashboard panel may be empty: its table not built yet, its source switched off, or
its permission missing; each named with the setting or asset that fixes it."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from devin_pipeline.resources.endpoints import (
    CYCLES,
    ENTERPRISE_CONSUMPTION,
    INSIGHTS,
    METRICS_USAGE,
    ORGANIZATIONS,
    SESSIONS,
    USERS,
    Endpoint,
)
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.sql_files import load_sql

# The endpoint each table shown comes from (a derived table: the source it cannot do without).
TABLE_SOURCES: dict[str, Endpoint] = {
    "session_snapshots": SESSIONS,
    "org_daily_metrics": SESSIONS,
    "category_daily_metrics": SESSIONS,
    "user_daily_metrics": SESSIONS,
    "origin_daily_metrics": SESSIONS,
    "active_user_metrics": SESSIONS,
    "organizations": ORGANIZATIONS,
    "seat_usage": USERS,
    "acu_consumption": ENTERPRISE_CONSUMPTION,
    "acu_reconciliation": ENTERPRISE_CONSUMPTION,
    "org_budget_status": ENTERPRISE_CONSUMPTION,
    "reported_metrics": METRICS_USAGE,
    "metrics_crosscheck": METRICS_USAGE,
    "billing_cycles": CYCLES,
    "session_insights": INSIGHTS,
    "outcome_metrics": SESSIONS,
}


@dataclass(frozen=True)
class TableState:
    """Whether a panel's table can be read, and if not, why (a sentence for the page)."""

    table: str
    readable: bool
    reason: str = ""


def table_state(
    conn: duckdb.DuckDBPyConnection, schema: str, table: str, settings: Settings
) -> TableState:
    """Switched off, not built yet, or readable: in that order, the first that holds."""
    source = TABLE_SOURCES.get(table)
    if source and source.attribute and not getattr(settings, source.attribute):
        return TableState(
            table,
            False,
            f"Source switched off: {source.attribute} is false ({source.switch}=false), so "
            f"{source.path} is not read and {schema}.{table} stays empty.",
        )
    if not _exists(conn, schema, table):
        return TableState(
            table,
            False,
            f"Table {schema}.{table} is not built yet: materialize the asset {schema}/{table}.",
        )
    return TableState(table, True)


def empty_reason(schema: str, table: str, window: str) -> str:
    """What an empty result of a readable table may mean."""
    text = f"No rows in {schema}.{table} for {window}."
    source = TABLE_SOURCES.get(table)
    if source and source.switch:
        text += (
            f" If its asset failed, its run names the cause; a key without the "
            f"{source.permission} permission needs it granted, or {source.switch}=false."
        )
    return text


def _exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    params = {"schema": schema, "table": table}
    row = conn.execute(load_sql("count_named_tables", schema), params).fetchone()
    return bool(row and row[0])
