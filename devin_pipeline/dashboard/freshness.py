"""The data-freshness panel: each fetched table's latest partition and fetch, and the checks
whose latest evaluation failed (from the Dagster instance, when the page is built in one)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
from dagster import AssetCheckKey, DagsterInstance
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from devin_pipeline.dashboard.panels import Panel, query_rows
from devin_pipeline.dashboard.sources import table_state
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.sql_files import load_sql

# The tables the API fills: their partition day (NULL: not partitioned) and fetch time.
FETCHED_TABLES = (
    ("session_snapshots", "snapshot_date", "fetched_at"),
    ("organization_versions", "NULL::DATE", "fetched_at"),
    ("users", "NULL::DATE", "last_listed_at"),
    ("acu_consumption", "billing_date", "fetched_at"),
    ("reported_metrics", "period_start", "fetched_at"),
    ("session_insights", "NULL::DATE", "fetched_at"),
)


def read_freshness(
    conn: duckdb.DuckDBPyConnection,
    schema: str,
    settings: Settings,
    failed_checks: list[dict[str, Any]] | None,
) -> tuple[Panel, Panel]:
    """The tables' freshness panel and the failed-checks panel."""
    tables = Panel(
        "freshness",
        "Data freshness",
        f"{schema} fetched tables",
        "all days held",
        table_columns=("table", "last_day", "last_fetched_at", "row_count", "note"),
    )
    for table, day, fetched in FETCHED_TABLES:
        state = table_state(conn, schema, table, settings)
        row: dict[str, Any] = {"table": f"{schema}.{table}", "note": state.reason}
        if state.readable:
            sql = load_sql(
                "select_dashboard_table_freshness",
                schema,
                table=f"{schema}.{table}",
                day_column=day,
                fetched_column=fetched,
            )
            row.update(query_rows(conn, sql, {})[0])
        tables.rows.append(row)
    checks = Panel(
        "failed_checks",
        "Failed checks (latest evaluation)",
        "the Dagster instance",
        "latest evaluation of each check",
        table_columns=("check", "severity"),
    )
    if failed_checks is None:
        checks.note = (
            "Check results live in the Dagster instance: built outside one, this page cannot "
            "show them (the asset devin/usage_dashboard can)."
        )
    else:
        checks.rows = failed_checks
        checks.note = "" if failed_checks else "Every check passed at its latest evaluation."
    return tables, checks


RECONCILIATION_CHECK = "acu_reconciliation_within_tolerance"


def reconciliation_verdict(failed: list[dict[str, Any]] | None) -> str:
    """The reconciliation check's word, from the failed checks (None: not known here)."""
    if failed is None:
        return "Reconciliation check: its verdict is kept by the Dagster instance."
    if any(row["check"].endswith(f":{RECONCILIATION_CHECK}") for row in failed):
        return (
            "Reconciliation check: WARN — over the settled billing days an org's billed and "
            "session-derived ACUs differ beyond the tolerance (the check's run names them)."
        )
    return "Reconciliation check: passed at its latest evaluation (or not evaluated yet)."


def failed_checks(instance: DagsterInstance, keys: Iterable[AssetCheckKey]) -> list[dict[str, Any]]:
    """The checks whose latest evaluation failed, with their severity."""
    records = instance.event_log_storage.get_latest_asset_check_execution_by_key(list(keys))
    failed = []
    for key, record in sorted(records.items(), key=lambda item: item[0].to_user_string()):
        if record.status != AssetCheckExecutionRecordStatus.FAILED:
            continue
        evaluation = record.event.asset_check_evaluation if record.event else None
        severity = evaluation.severity.value if evaluation else "ERROR"
        failed.append({"check": key.to_user_string(), "severity": severity})
    return failed
