"""Adoption: distinct active users per day, week and month, seats and their use, and Devin's
own metrics cross-checked against what the sessions show (CONTRACT.md, "Adoption, money and
outcomes"). `reported_metrics` makes requests (daily partitions, read by the daily schedule);
the three others are derived without requests and follow their inputs by automation.
"""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from devin_pipeline.assets.adoption_columns import (
    ACTIVE_USER_COLUMNS,
    CROSSCHECK_COLUMNS,
    REPORTED_COLUMNS,
    SEAT_COLUMNS,
)
from devin_pipeline.assets.attributes import asset_attributes, single_run_backfill
from devin_pipeline.assets.column_lineage import (
    ACTIVE_USER_LINEAGE,
    CROSSCHECK_LINEAGE,
    SEAT_LINEAGE,
    column_lineage,
)
from devin_pipeline.assets.metrics import AUTOMATION
from devin_pipeline.ingest.reported_metrics import fetch_reported_metrics
from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames
from devin_pipeline.partitions import daily_partitions
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.adoption_store import (
    rebuild_seat_usage,
    refresh_active_user_metrics,
    seat_status_counts,
)
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.metrics_store import markdown_table
from devin_pipeline.warehouse.reported_metrics_store import (
    crosscheck_summary,
    rebuild_crosscheck,
    write_reported_metrics,
)


def build_adoption_assets(
    settings: Settings, names: InstanceNames = DEFAULT_NAMES
) -> list[AssetsDefinition]:
    """active_user_metrics, seat_usage, reported_metrics and metrics_crosscheck."""
    return [
        _active_user_metrics(settings, names),
        _seat_usage(settings, names),
        _reported_metrics(settings, names),
        _metrics_crosscheck(names),
    ]


def _common(names: InstanceNames, table: str, columns: Any, *, source: bool = False) -> dict:
    resources = {names.duckdb_resource, *([names.api_resource] if source else [])}
    return {
        **asset_attributes(names, table, "adoption"),
        "kinds": {"duckdb", "python"} if source else {"duckdb"},
        "required_resource_keys": resources,
        "metadata": {"dagster/table_name": names.table(table), "dagster/column_schema": columns},
    }


def _derived(names: InstanceNames, table: str, columns: Any, *deps: str) -> dict:
    common = _common(names, table, columns)
    lineage = column_lineage(names, LINEAGE[table])
    return {
        **common,
        "metadata": {**common["metadata"], **lineage},
        "deps": [names.key(dep) for dep in deps],
        "automation_condition": AUTOMATION,
    }


LINEAGE = {
    "active_user_metrics": ACTIVE_USER_LINEAGE,
    "seat_usage": SEAT_LINEAGE,
    "metrics_crosscheck": CROSSCHECK_LINEAGE,
}


def _active_user_metrics(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    @asset(
        **_derived(
            names, "active_user_metrics", ACTIVE_USER_COLUMNS,
            "session_snapshots", "sessions", "organizations",
        )
    )  # fmt: skip
    def active_user_metrics(context: AssetExecutionContext) -> MaterializeResult:
        """Distinct users per UTC day, week (Monday 00:00 UTC) and month, enterprise-wide and
        per org: active_users (versions updated in the period) and creating_users (sessions
        created in it, Devin's notion of active without searches). Distinct counts do not add
        up across days or orgs: that is why this table exists."""
        materialized = context.instance.get_materialized_partitions(names.key("session_snapshots"))
        through = date.fromisoformat(max(materialized)) if materialized else None
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            rows = refresh_active_user_metrics(
                conn, through, names.schema, settings.incremental_refresh
            )
            weeks = conn.execute(
                f"SELECT period_start, active_users, creating_users, is_complete "
                f"FROM {names.table('active_user_metrics')} "
                "WHERE period = 'week' AND scope = 'enterprise' ORDER BY period_start DESC LIMIT 8"
            ).fetchall()
        columns = ["week", "active_users", "creating_users", "is_complete"]
        return MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "complete_through": str(through),
                "weekly_active_users": MetadataValue.md(markdown_table(columns, weeks)),
            }
        )

    return active_user_metrics


def _seat_usage(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    @asset(**_derived(names, "seat_usage", SEAT_COLUMNS, "session_snapshots", "sessions", "users"))
    def seat_usage(context: AssetExecutionContext) -> MaterializeResult:
        """One row per person of the users table as of the freshest snapshot's date: first
        and last active day, sessions over 7/30/90 days, ACUs over 30, and status active /
        idle (nothing in seat_idle_days) / never_used. Filter on is_listed for today's seats."""
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            rows = rebuild_seat_usage(conn, settings.seat_idle_days, names.schema)
            listed = seat_status_counts(conn, names.schema)
        return MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "idle_days": settings.seat_idle_days,
                **{f"listed_{status}": n for status, n in sorted(listed.items())},
            }
        )

    return seat_usage


def _reported_metrics(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    policy = single_run_backfill()
    spec = _common(names, "reported_metrics", REPORTED_COLUMNS, source=True)
    spec["metadata"]["source"] = "GET /v3/enterprise/metrics/{dau,wau,mau,sessions,prs,searches}"

    @asset(
        partitions_def=daily_partitions(settings.partitions_start), backfill_policy=policy, **spec
    )
    def reported_metrics(context: AssetExecutionContext) -> MaterializeResult:
        """What Devin's own metrics endpoints say, enterprise-wide: partition D holds the day's
        dau, sessions, PR and search figures (by origin and size too), the week's wau when D is
        a Sunday and the month's mau when D ends a month. A run replaces its partitions."""
        window = context.partition_time_window
        first, last = window.start.date(), (window.end - timedelta(days=1)).date()
        if not settings.metrics_enabled:
            context.log.info("metrics_enabled is false: Devin's metrics are not read.")
            return MaterializeResult(metadata={"read": False})
        api = getattr(context.resources, names.api_resource)
        rows = [asdict(row) for row in fetch_reported_metrics(api, first, last)]
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            stamp = datetime.now(UTC)
            written = write_reported_metrics(conn, rows, (first, last), stamp, names.schema)
        return MaterializeResult(
            metadata={"read": True, "dagster/row_count": written, "days": (last - first).days + 1}
        )

    return reported_metrics


def _metrics_crosscheck(names: InstanceNames) -> AssetsDefinition:
    deps = ("reported_metrics", "active_user_metrics", "sessions", "session_snapshots")

    @asset(**_derived(names, "metrics_crosscheck", CROSSCHECK_COLUMNS, *deps))
    def metrics_crosscheck(context: AssetExecutionContext) -> MaterializeResult:
        """Devin's dau/wau/mau and sessions created (also by origin) beside what the sessions
        show, per period both sides cover: reported, derived, difference, and known_difference
        naming what explains a gap expected by construction (searches, hidden or folded
        origins, sessions never observed)."""
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            rows = rebuild_crosscheck(conn, names.schema)
            summary = crosscheck_summary(conn, names.schema)
        columns = ["metric", "known_difference", "periods", "differing", "total_difference"]
        return MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "summary": MetadataValue.md(markdown_table(columns, summary)),
            }
        )

    return metrics_crosscheck
