"""Asset checks on the snapshots and on the tables derived from them.

Each check runs one `sql/check_*.sql` query that returns the offending rows: no row, no
problem. The result's metadata counts them and previews the first few.
"""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
from devin_pipeline.partitions import BILLING_DAY_START_HOUR
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.metrics_store import (
    CATEGORY_DAILY_METRICS,
    ORG_DAILY_METRICS,
    ORIGIN_DAILY_METRICS,
    USER_DAILY_METRICS,
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
    params: dict[str, Any] | None = None,
) -> AssetCheckResult:
    """Runs a check query once into a temp table, then counts and previews what it found."""
    with utc_connection(duckdb, schema) as conn:
        conn.execute(f"CREATE OR REPLACE TEMP TABLE offending_rows AS {sql}", params or {})
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
    params: Callable[[], dict[str, Any]] | None = None,
) -> AssetChecksDefinition:
    """One check of an instance: `sql(schema)` selects the offending rows (with `params()`,
    evaluated when the check runs)."""

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
        values = params() if params else None
        return _offending_rows(duckdb, names.schema, sql(names.schema), severity, values)

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
            "Warns about versions whose cumulative acus_consumed is below the session's last "
            "known one: the metrics then attribute a negative amount to that day.",
            _file("check_session_acus_decreases"), AssetCheckSeverity.WARN,
        )
    )  # fmt: skip
    for table, name in (
        (ORG_DAILY_METRICS, "org"),
        (CATEGORY_DAILY_METRICS, "category"),
        (USER_DAILY_METRICS, "user"),
        (ORIGIN_DAILY_METRICS, "origin"),
    ):
        built.append(
            _sql_check(
                names, names.key(table.name), f"{name}_acus_conserved",
                f"ACU conservation: per {table.group_column}, the daily acus_consumed add up to "
                "the sum of its sessions' latest acus_consumed (within 1e-6 relative). Blocking.",
                _conservation(table), blocking=True,
            )
        )  # fmt: skip
    return built + _directory_checks(names)


def _directory_checks(names: InstanceNames) -> list[AssetChecksDefinition]:
    """The checks on the organizations and users tables."""
    organizations, users = names.key("organizations"), names.key("users")
    return [
        _sql_check(
            names, organizations, "organizations_cover_snapshot_orgs",
            "Every org_id the session snapshots name has a row in the organizations table.",
            _file("check_organizations_cover_snapshots"),
        ),
        _sql_check(
            names, organizations, "organizations_one_row_per_org",
            "The organizations table holds exactly one row per org_id.",
            _file("check_organizations_unique"),
        ),
        _sql_check(
            names, organizations, "unlisted_orgs_still_spending",
            "Warns about sessions of orgs the latest listing no longer holds (deleted orgs still "
            "spending ACUs), listing each with its ACUs.",
            _file("check_unlisted_orgs_spending"), AssetCheckSeverity.WARN,
        ),
        _sql_check(
            names, users, "users_cover_snapshot_users",
            "Every user_id and service_user_id the session snapshots name has a row in the "
            "users table.",
            _file("check_users_cover_snapshots"),
        ),
    ]  # fmt: skip


def build_billing_checks(
    settings: Settings, names: InstanceNames = DEFAULT_NAMES
) -> list[AssetChecksDefinition]:
    """The reconciliation check, with the tolerances and lookback of these settings."""
    absolute = settings.reconciliation_tolerance_acus
    relative = settings.reconciliation_tolerance_ratio
    description = (
        "Warns, naming the orgs and their totals, when over the settled billing days (older "
        f"than the {settings.lookback_days}-day lookback) an org's session-derived and billed "
        f"ACUs differ by more than max({absolute:g} ACUs, {relative:.0%} of billed) "
        "(reconciliation_tolerance_acus / _ratio)."
    )

    def params() -> dict[str, Any]:
        before = settled_before(settings.lookback_days)
        return {"settled_before": before, "absolute": absolute, "relative": relative}

    check = _sql_check(
        names, names.key("acu_reconciliation"), "acu_reconciliation_within_tolerance",
        description, _file("check_reconciliation_within_tolerance"), AssetCheckSeverity.WARN,
        params=params,
    )  # fmt: skip
    return [check]


def build_budget_checks(
    settings: Settings, names: InstanceNames = DEFAULT_NAMES
) -> list[AssetChecksDefinition]:
    """The early warning: orgs about to reach their cycle's ACU cap, with their forecast."""
    share = settings.budget_warn_share
    description = (
        "Warns, naming the orgs with their limit, billed ACUs and forecast, when in the "
        f"current billing cycle an org has billed {share:.0%} of its max_cycle_acu_limit "
        "(budget_warn_share) or is forecast to exceed it."
    )
    check = _sql_check(
        names, names.key("org_budget_status"), "org_budget_within_limits", description,
        _file("check_org_budget_at_risk"), AssetCheckSeverity.WARN,
        params=lambda: {"warn_share": share},
    )  # fmt: skip
    return [check]


def settled_before(lookback_days: int, now: datetime | None = None) -> date:
    """The first billing day still revised: the one in progress, minus the lookback."""
    current = ((now or datetime.now(UTC)) - timedelta(hours=BILLING_DAY_START_HOUR)).date()
    return current - timedelta(days=lookback_days)


asset_checks: list[AssetChecksDefinition] = build_asset_checks()


def build_adoption_checks(
    settings: Settings, names: InstanceNames = DEFAULT_NAMES
) -> list[AssetChecksDefinition]:
    """The metrics cross-check's warning, with the tolerances and lookback of these settings."""
    absolute = settings.crosscheck_tolerance_abs
    relative = settings.crosscheck_tolerance_ratio
    description = (
        "Warns, naming the metric and periods (worst first, with the known reason), when over "
        f"complete periods older than the {settings.lookback_days}-day lookback Devin's own "
        f"figure and the sessions' differ by more than max({absolute:g}, {relative:.0%} of "
        "reported) (crosscheck_tolerance_abs / _ratio)."
    )

    def params() -> dict[str, Any]:
        today = datetime.now(UTC).date()
        settled = today - timedelta(days=settings.lookback_days)
        return {"settled_before": settled, "absolute": absolute, "relative": relative}

    check = _sql_check(
        names, names.key("metrics_crosscheck"), "metrics_crosscheck_within_tolerance",
        description, _file("check_crosscheck_within_tolerance"), AssetCheckSeverity.WARN,
        params=params,
    )  # fmt: skip
    return [check]
