"""Asset checks on the snapshots and on the tables derived from them.

Each check runs one `sql/check_*.sql` query that returns the offending rows: no row, no
problem. The result's metadata counts them and previews the first few.
"""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from collections.abc import Callable

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)
from dagster_duckdb import DuckDBResource

from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.metrics_store import (
    CATEGORY_DAILY_METRICS,
    ORG_DAILY_METRICS,
    MetricsTable,
    markdown_table,
)
from devin_pipeline.warehouse.sql_files import load_sql

PREVIEW_ROWS = 20


def _offending_rows(
    duckdb: DuckDBResource,
    schema: str,
    sql: str,
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
) -> AssetCheckResult:
    """Runs a check query once into a temp table, then counts and previews what it found."""
    with utc_connection(duckdb, schema) as conn:
        conn.execute(f"CREATE OR REPLACE TEMP TABLE offending_rows AS {sql}")
        row = conn.execute("SELECT count(*) FROM offending_rows").fetchone()
        cursor = conn.execute(f"SELECT * FROM offending_rows LIMIT {PREVIEW_ROWS}")
        columns, preview = [d[0] for d in cursor.description], cursor.fetchall()
        conn.execute("DROP TABLE offending_rows")
    count = int(row[0]) if row else 0
    return AssetCheckResult(
        passed=count == 0,
        severity=severity,
        metadata={
            "offending_rows": count,
            "preview": MetadataValue.md(markdown_table(columns, preview)),
        },
    )


def _sql_check(
    names: InstanceNames,
    asset: AssetKey,
    name: str,
    description: str,
    sql: Callable[[str], str],
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
    blocking: bool = False,
) -> AssetChecksDefinition:
    """One check of an instance: `sql(schema)` selects the offending rows."""

    @asset_check(
        asset=asset,
        name=name,
        description=description,
        blocking=blocking,
        pool=names.pool,
        required_resource_keys={names.duckdb_resource},
    )
    def _check(context: AssetCheckExecutionContext) -> AssetCheckResult:
        duckdb = getattr(context.resources, names.duckdb_resource)
        return _offending_rows(duckdb, names.schema, sql(names.schema), severity)

    return _check


def _file(name: str) -> Callable[[str], str]:
    return lambda schema: load_sql(name, schema)


def _conservation(table: MetricsTable) -> Callable[[str], str]:
    return lambda schema: table.in_schema(schema).sql("check_daily_metrics_conserve_acus")


def build_asset_checks(names: InstanceNames = DEFAULT_NAMES) -> list[AssetChecksDefinition]:
    """Every check of an instance; a check's key is its asset's key and its name."""
    snapshots, sessions = names.key("session_snapshots"), names.key("sessions")
    checks = [
        (snapshots, "snapshot_keys_unique", "check_snapshot_keys_unique",
         "Each (session_id, updated_at), the primary key of an observed version, is stored once."),
        (snapshots, "snapshot_dates_match_updated_at", "check_snapshot_dates_match",
         "Every version's snapshot_date (its partition) is the UTC date of its updated_at."),
        (snapshots, "snapshot_required_fields_present", "check_snapshot_required_fields",
         "session_id, updated_at, created_at, org_id, status, acus_consumed, raw, snapshot_date "
         "and fetched_at are never null."),
    ]  # fmt: skip
    built = [_sql_check(names, key, name, text, _file(sql)) for key, name, sql, text in checks]
    built.append(
        _sql_check(
            names, sessions, "sessions_are_latest_versions",
            f"{names.table('sessions')} has exactly one row per session_id of the snapshots: its "
            "latest version. Blocking: the metrics are grouped by it.",
            _file("check_sessions_latest_versions"), blocking=True,
        )
    )  # fmt: skip
    built.append(
        _sql_check(
            names, sessions, "session_acus_never_decrease",
            "Warns about sessions whose cumulative acus_consumed went down between consecutive "
            "observed versions: the metrics then attribute a negative amount to that day.",
            _file("check_session_acus_decreases"), AssetCheckSeverity.WARN,
        )
    )  # fmt: skip
    for table, name in ((ORG_DAILY_METRICS, "org"), (CATEGORY_DAILY_METRICS, "category")):
        built.append(
            _sql_check(
                names, names.key(table.name), f"{name}_acus_conserved",
                f"ACU conservation: per {table.group_column}, the daily acus_consumed add up to "
                "the sum of its sessions' latest acus_consumed (within 1e-6 relative). Blocking.",
                _conservation(table), blocking=True,
            )
        )  # fmt: skip
    return built


asset_checks: list[AssetChecksDefinition] = build_asset_checks()
