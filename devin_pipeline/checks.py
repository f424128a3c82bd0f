"""Asset checks on the snapshots and on the tables derived from them.

Each check runs one `sql/check_*.sql` query that returns the offending rows: no row, no
problem. The result's metadata counts them and previews the first few.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)
from dagster_duckdb import DuckDBResource

from devin_pipeline.assets.keys import ACU_RECONCILIATION, ORGANIZATIONS, SESSIONS, SNAPSHOTS, USERS
from devin_pipeline.assets.session_snapshots import DUCKDB_POOL
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
    sql: str,
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
    params: dict[str, Any] | None = None,
) -> AssetCheckResult:
    """Runs a check query once into a temp table, then counts and previews what it found."""
    with utc_connection(duckdb) as conn:
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


@asset_check(asset=SNAPSHOTS, pool=DUCKDB_POOL)
def snapshot_keys_unique(duckdb: DuckDBResource) -> AssetCheckResult:
    """Each (session_id, updated_at), the primary key of an observed version, is stored once."""
    return _offending_rows(duckdb, load_sql("check_snapshot_keys_unique"))


@asset_check(asset=SNAPSHOTS, pool=DUCKDB_POOL)
def snapshot_dates_match_updated_at(duckdb: DuckDBResource) -> AssetCheckResult:
    """Every version's snapshot_date (its partition) is the UTC date of its updated_at."""
    return _offending_rows(duckdb, load_sql("check_snapshot_dates_match"))


@asset_check(asset=SNAPSHOTS, pool=DUCKDB_POOL)
def snapshot_required_fields_present(duckdb: DuckDBResource) -> AssetCheckResult:
    """session_id, updated_at, created_at, org_id, status, acus_consumed, raw, snapshot_date
    and fetched_at are never null."""
    return _offending_rows(duckdb, load_sql("check_snapshot_required_fields"))


@asset_check(asset=SESSIONS, pool=DUCKDB_POOL, blocking=True)
def sessions_are_latest_versions(duckdb: DuckDBResource) -> AssetCheckResult:
    """devin.sessions has exactly one row per session_id of the snapshots: its latest version.
    Blocking: the metrics are grouped by it."""
    return _offending_rows(duckdb, load_sql("check_sessions_latest_versions"))


@asset_check(asset=SESSIONS, pool=DUCKDB_POOL)
def session_acus_never_decrease(duckdb: DuckDBResource) -> AssetCheckResult:
    """Warns about sessions whose cumulative acus_consumed went down between consecutive
    observed versions: the metrics then attribute a negative amount to that day."""
    sql = load_sql("check_session_acus_decreases")
    return _offending_rows(duckdb, sql, AssetCheckSeverity.WARN)


def _conservation_check(table: MetricsTable, name: str) -> AssetChecksDefinition:
    @asset_check(
        asset=AssetKey(["devin", table.name]),
        name=name,
        description=(
            f"ACU conservation: per {table.group_column}, the daily acus_consumed add up to the "
            "sum of its sessions' latest acus_consumed (within 1e-6 relative). Blocking."
        ),
        blocking=True,
        pool=DUCKDB_POOL,
    )
    def _check(duckdb: DuckDBResource) -> AssetCheckResult:
        return _offending_rows(duckdb, table.sql("check_daily_metrics_conserve_acus"))

    return _check


org_acus_conserved = _conservation_check(ORG_DAILY_METRICS, "org_acus_conserved")
category_acus_conserved = _conservation_check(CATEGORY_DAILY_METRICS, "category_acus_conserved")
user_acus_conserved = _conservation_check(USER_DAILY_METRICS, "user_acus_conserved")
origin_acus_conserved = _conservation_check(ORIGIN_DAILY_METRICS, "origin_acus_conserved")


@asset_check(asset=ORGANIZATIONS, pool=DUCKDB_POOL)
def organizations_cover_snapshot_orgs(duckdb: DuckDBResource) -> AssetCheckResult:
    """Every org_id the session snapshots name has a row in devin.organizations."""
    return _offending_rows(duckdb, load_sql("check_organizations_cover_snapshots"))


@asset_check(asset=ORGANIZATIONS, pool=DUCKDB_POOL)
def organizations_one_row_per_org(duckdb: DuckDBResource) -> AssetCheckResult:
    """devin.organizations holds exactly one row per org_id."""
    return _offending_rows(duckdb, load_sql("check_organizations_unique"))


@asset_check(asset=ORGANIZATIONS, pool=DUCKDB_POOL)
def unlisted_orgs_still_spending(duckdb: DuckDBResource) -> AssetCheckResult:
    """Warns about sessions of orgs the latest listing no longer holds (deleted orgs still
    spending ACUs), listing each with its latest ACUs."""
    sql = load_sql("check_unlisted_orgs_spending")
    return _offending_rows(duckdb, sql, AssetCheckSeverity.WARN)


@asset_check(asset=USERS, pool=DUCKDB_POOL)
def users_cover_snapshot_users(duckdb: DuckDBResource) -> AssetCheckResult:
    """Every user_id and service_user_id the session snapshots name has a row in devin.users."""
    return _offending_rows(duckdb, load_sql("check_users_cover_snapshots"))


asset_checks: list[AssetChecksDefinition] = [
    snapshot_keys_unique,
    snapshot_dates_match_updated_at,
    snapshot_required_fields_present,
    sessions_are_latest_versions,
    session_acus_never_decrease,
    org_acus_conserved,
    category_acus_conserved,
    user_acus_conserved,
    origin_acus_conserved,
    organizations_cover_snapshot_orgs,
    organizations_one_row_per_org,
    unlisted_orgs_still_spending,
    users_cover_snapshot_users,
]


def build_billing_checks(settings: Settings) -> list[AssetChecksDefinition]:
    """The reconciliation check, with the tolerances and lookback of these settings."""
    absolute = settings.reconciliation_tolerance_acus
    relative = settings.reconciliation_tolerance_ratio

    @asset_check(
        asset=ACU_RECONCILIATION,
        pool=DUCKDB_POOL,
        description=(
            "Warns, naming the orgs and their totals, when over the settled billing days (older "
            f"than the {settings.lookback_days}-day lookback) an org's session-derived and "
            f"billed ACUs differ by more than max({absolute:g} ACUs, {relative:.0%} of billed) "
            "(DEVIN_RECONCILIATION_TOLERANCE_ACUS / _RATIO)."
        ),
    )
    def acu_reconciliation_within_tolerance(duckdb: DuckDBResource) -> AssetCheckResult:
        params = {
            "settled_before": settled_before(settings.lookback_days),
            "absolute": absolute,
            "relative": relative,
        }
        sql = load_sql("check_reconciliation_within_tolerance")
        return _offending_rows(duckdb, sql, AssetCheckSeverity.WARN, params)

    return [acu_reconciliation_within_tolerance]


def settled_before(lookback_days: int, now: datetime | None = None) -> date:
    """The first billing day still revised: the one in progress, minus the lookback."""
    current = ((now or datetime.now(UTC)) - timedelta(hours=BILLING_DAY_START_HOUR)).date()
    return current - timedelta(days=lookback_days)
