"""`devin/acu_consumption` and `devin/acu_reconciliation`: what Devin billed, beside what the
sessions reported (CONTRACT.md). Billing days are [B 08:00 UTC, B+1 08:00 UTC)."""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

import warnings
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    BackfillPolicy,
    BetaWarning,
    MaterializeResult,
    asset,
)
from dagster_duckdb import DuckDBResource

from devin_pipeline.assets.keys import ACU_CONSUMPTION, ORGANIZATIONS, SNAPSHOTS, USERS
from devin_pipeline.assets.metrics import AUTOMATION
from devin_pipeline.assets.session_snapshots import DUCKDB_POOL
from devin_pipeline.ingest.consumption import consumption_scopes, fetch_consumption
from devin_pipeline.partitions import billing_partitions, days_in_range
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.consumption_store import (
    billed_by_product,
    rebuild_reconciliation,
    write_consumption,
)

_COMMON: dict[str, Any] = {
    "key_prefix": "devin",
    "group_name": "billing",
    "pool": DUCKDB_POOL,
    "owners": ["team:data-platform"],
}


def build_billing_assets(settings: Settings) -> list[AssetsDefinition]:
    """The consumption asset (billing-day partitions) and the reconciliation derived from it."""
    with warnings.catch_warnings():
        # BackfillPolicy.single_run() is beta in Dagster 1.13; we depend on it knowingly.
        warnings.simplefilter("ignore", BetaWarning)
        policy = BackfillPolicy.single_run()

    @asset(
        name="acu_consumption",
        partitions_def=billing_partitions(settings.partitions_start),
        backfill_policy=policy,
        deps=[ORGANIZATIONS, USERS],
        kinds={"duckdb", "python"},
        metadata={
            "dagster/table_name": "devin.acu_consumption",
            "source": "GET /v3/enterprise/consumption/daily[/organizations/{id},/users/{id}]",
        },
        **_COMMON,
    )
    def acu_consumption(
        context: AssetExecutionContext, devin_api: DevinAPIResource, duckdb: DuckDBResource
    ) -> MaterializeResult:
        """What Devin billed per billing day [B 08:00 UTC, B+1 08:00 UTC): one row per
        (billing_date, scope, scope_id, product) for the enterprise, every org of
        devin.organizations and every listed person; `product` as sent plus `all`.
        Re-materializing a day replaces its rows (the API revises recent days)."""
        first, last = _billing_days(context)
        if not settings.consumption_enabled:
            context.log.info("DEVIN_READ_CONSUMPTION=false: consumption is not read.")
            return MaterializeResult(metadata={"read": False})
        with utc_connection(duckdb) as conn:
            org_ids, user_ids = _scope_ids(conn, settings.user_consumption_enabled)
        scopes = consumption_scopes(org_ids, user_ids)
        context.log.info(f"Reading billing days {first} .. {last} for {len(scopes)} scopes")
        rows = fetch_consumption(devin_api, scopes, first, last, settings.concurrency)
        read = sorted({s.scope for s in scopes})
        with utc_connection(duckdb) as conn:
            written = write_consumption(conn, rows, (first, last), read, datetime.now(UTC))
        return MaterializeResult(
            metadata={
                "dagster/row_count": written,
                "requests": len(scopes),
                "scopes": ", ".join(read),
                "days": (last - first).days + 1,
            }
        )

    @asset(
        name="acu_reconciliation",
        deps=[ACU_CONSUMPTION, SNAPSHOTS, ORGANIZATIONS],
        kinds={"duckdb"},
        automation_condition=AUTOMATION,
        metadata={"dagster/table_name": "devin.acu_reconciliation"},
        **_COMMON,
    )
    def acu_reconciliation(duckdb: DuckDBResource) -> MaterializeResult:
        """One row per (billing_date, org_id) of the billing days acu_consumption holds: what
        was billed (scope org, product devin), what the sessions reported (the metrics'
        per-version ACU deltas of versions of that org, by the billing day of updated_at), the
        difference, and org_name. Over a settled range the two agree up to usage the sessions
        have not shown yet; day by day they differ where spend accrued before the version
        that reported it."""
        with utc_connection(duckdb) as conn:
            rows = rebuild_reconciliation(conn)
            metadata = _reconciliation_metadata(conn)
        return MaterializeResult(metadata={"dagster/row_count": rows, **metadata})

    return [acu_consumption, acu_reconciliation]


def _billing_days(context: AssetExecutionContext) -> tuple[date, date]:
    window = context.partition_time_window
    days = days_in_range(window.start.date(), (window.end - timedelta(days=1)).date())
    return days[0], days[-1]


def _scope_ids(conn: duckdb.DuckDBPyConnection, with_users: bool) -> tuple[list[str], list[str]]:
    """Every org the warehouse knows (listed or named by sessions) and every listed person."""
    orgs = conn.execute("SELECT org_id FROM devin.organizations ORDER BY org_id").fetchall()
    people = conn.execute(
        "SELECT user_id FROM devin.users WHERE kind = 'user' AND is_listed ORDER BY user_id"
    ).fetchall()
    return [o for (o,) in orgs], [u for (u,) in people] if with_users else []


def _reconciliation_metadata(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Enterprise-wide totals: billed by product, session-derived, and what no session shows."""
    billed = billed_by_product(conn)
    row = conn.execute("SELECT coalesce(sum(session_acus), 0) FROM devin.acu_reconciliation")
    session_acus = float(row.fetchone()[0])  # type: ignore[index]
    total = billed.get("all", 0.0)
    outside = total - billed.get("devin", 0.0)
    return {
        **{f"billed_{product}": round(acus, 4) for product, acus in billed.items()},
        "session_derived_acus": round(session_acus, 4),
        "share_billed_outside_sessions": round(outside / total, 4) if total else 0.0,
    }
