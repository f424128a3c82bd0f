"""`acu_consumption` and `acu_reconciliation`: what Devin billed, beside what the sessions
reported (CONTRACT.md). Billing days are [B 08:00 UTC, B+1 08:00 UTC)."""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    asset,
)

from devin_pipeline.assets.attributes import asset_attributes, single_run_backfill
from devin_pipeline.assets.column_lineage import (
    CONSUMPTION_LINEAGE,
    RECONCILIATION_LINEAGE,
    column_lineage,
)
from devin_pipeline.assets.metrics import AUTOMATION
from devin_pipeline.assets.source_columns import CONSUMPTION_COLUMNS, RECONCILIATION_COLUMNS
from devin_pipeline.ingest.consumption import consumption_scopes, fetch_consumption
from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames
from devin_pipeline.partitions import billing_partitions, days_in_range
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.consumption_store import (
    billed_by_product,
    consumption_scope_ids,
    refresh_reconciliation,
    session_derived_acus,
    write_consumption,
)


def build_billing_assets(
    settings: Settings, names: InstanceNames = DEFAULT_NAMES
) -> list[AssetsDefinition]:
    """The consumption asset (billing-day partitions) and the reconciliation derived from it."""
    return [_acu_consumption(settings, names), _acu_reconciliation(settings, names)]


def _common(names: InstanceNames, table: str) -> dict[str, Any]:
    return asset_attributes(names, table, "billing")


def _acu_consumption(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    policy = single_run_backfill()

    @asset(
        partitions_def=billing_partitions(settings.partitions_start),
        backfill_policy=policy,
        deps=[names.key("organizations"), names.key("users")],
        kinds={"duckdb", "python"},
        required_resource_keys={names.api_resource, names.duckdb_resource},
        metadata={
            "dagster/table_name": names.table("acu_consumption"),
            "dagster/column_schema": CONSUMPTION_COLUMNS,
            **column_lineage(names, CONSUMPTION_LINEAGE),
            "source": "GET /v3/enterprise/consumption/daily[/organizations/{id},/users/{id}]",
        },
        **_common(names, "acu_consumption"),
    )
    def acu_consumption(context: AssetExecutionContext) -> MaterializeResult:
        """What Devin billed per billing day [B 08:00 UTC, B+1 08:00 UTC): one row per
        (billing_date, scope, scope_id, product) for the enterprise, every known org and
        every listed person; `product` as sent plus `all`. Re-materializing a day replaces
        its rows (the API revises recent days); a failed run leaves them as they were."""
        first, last = _billing_days(context)
        if not settings.consumption_enabled:
            context.log.info("consumption_enabled is false: consumption is not read.")
            return MaterializeResult(metadata={"read": False})
        duckdb_resource = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb_resource, names.schema) as conn:
            with_users = settings.user_consumption_enabled
            org_ids, user_ids = consumption_scope_ids(conn, with_users, names.schema)
        scopes = consumption_scopes(org_ids, user_ids)
        context.log.info(f"Reading billing days {first} .. {last} for {len(scopes)} scopes")
        api = getattr(context.resources, names.api_resource)
        rows = fetch_consumption(api, scopes, first, last, settings.concurrency)
        read = sorted({s.scope for s in scopes})
        with utc_connection(duckdb_resource, names.schema) as conn:
            stamp = datetime.now(UTC)
            written = write_consumption(conn, rows, (first, last), read, stamp, names.schema)
        return MaterializeResult(
            metadata={
                "dagster/row_count": written,
                "requests": len(scopes),
                "scopes": ", ".join(read),
                "days": (last - first).days + 1,
            }
        )

    return acu_consumption


def _acu_reconciliation(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    @asset(
        deps=[
            names.key("acu_consumption"),
            names.key("session_snapshots"),
            # The sessions step keeps each version's ACU attribution (version_acus).
            names.key("sessions"),
            names.key("organizations"),
        ],
        kinds={"duckdb"},
        automation_condition=AUTOMATION,
        required_resource_keys={names.duckdb_resource},
        metadata={
            "dagster/table_name": names.table("acu_reconciliation"),
            "dagster/column_schema": RECONCILIATION_COLUMNS,
            **column_lineage(names, RECONCILIATION_LINEAGE),
        },
        **_common(names, "acu_reconciliation"),
    )
    def acu_reconciliation(context: AssetExecutionContext) -> MaterializeResult:
        """One row per (billing_date, org_id) of the billing days acu_consumption holds: what
        was billed (scope org, product devin), what the sessions reported (the metrics'
        per-version ACU deltas of versions of that org, by the billing day of updated_at), the
        difference, and org_name. Over a settled range the two agree up to usage the sessions
        have not shown yet; day by day they differ where spend accrued before the version
        that reported it."""
        duckdb_resource = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb_resource, names.schema) as conn:
            rows = refresh_reconciliation(conn, names.schema, settings.incremental_refresh)
            metadata = _reconciliation_metadata(conn, names.schema)
        return MaterializeResult(metadata={"dagster/row_count": rows, **metadata})

    return acu_reconciliation


def _billing_days(context: AssetExecutionContext) -> tuple[date, date]:
    window = context.partition_time_window
    days = days_in_range(window.start.date(), (window.end - timedelta(days=1)).date())
    return days[0], days[-1]


def _reconciliation_metadata(conn: duckdb.DuckDBPyConnection, schema: str) -> dict[str, Any]:
    """Enterprise-wide totals: billed by product, session-derived, and what no session shows."""
    billed = billed_by_product(conn, schema)
    total = billed.get("all", 0.0)
    outside = total - billed.get("devin", 0.0)
    return {
        **{f"billed_{product}": round(acus, 4) for product, acus in billed.items()},
        "session_derived_acus": round(session_derived_acus(conn, schema), 4),
        "share_billed_outside_sessions": round(outside / total, 4) if total else 0.0,
    }
