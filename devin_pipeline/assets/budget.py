"""`billing_cycles` and `org_budget_status`: will each org stay within its cycle's ACU cap?
(CONTRACT.md, "Adoption, money and outcomes")."""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from datetime import UTC, datetime
from typing import Any

from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, asset

from devin_pipeline.assets.attributes import asset_attributes
from devin_pipeline.assets.column_lineage import BUDGET_LINEAGE, column_lineage
from devin_pipeline.assets.metrics import AUTOMATION
from devin_pipeline.assets.money_columns import BILLING_CYCLE_COLUMNS, BUDGET_COLUMNS
from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.budget_store import budget_cycles, rebuild_budget, write_cycles
from devin_pipeline.warehouse.connection import utc_connection

CALENDAR_FALLBACK = (
    "UTC calendar months from 08:00 UTC on the 1st: the cycles source is off "
    "(cycles_enabled), was refused, or has not been listed yet"
)


def build_budget_assets(
    settings: Settings, names: InstanceNames = DEFAULT_NAMES
) -> list[AssetsDefinition]:
    """The cycles listing and the budget table derived from cycles, consumption and orgs."""
    return [_billing_cycles(settings, names), _org_budget_status(settings, names)]


def _common(names: InstanceNames, table: str) -> dict[str, Any]:
    return asset_attributes(names, table, "billing")


def _billing_cycles(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    @asset(
        kinds={"duckdb", "python"},
        required_resource_keys={names.api_resource, names.duckdb_resource},
        metadata={
            "dagster/table_name": names.table("billing_cycles"),
            "dagster/column_schema": BILLING_CYCLE_COLUMNS,
            "source": "GET /v3/enterprise/consumption/cycles",
        },
        **_common(names, "billing_cycles"),
    )
    def billing_cycles(context: AssetExecutionContext) -> MaterializeResult:
        """One row per billing cycle [cycle_start, cycle_end) the cycles endpoint lists,
        replaced whole by each complete listing; a failed listing changes nothing."""
        if not settings.cycles_enabled:
            context.log.info("cycles_enabled is false: budgets use calendar months.")
            return MaterializeResult(metadata={"listed": False})
        api: DevinAPIResource = getattr(context.resources, names.api_resource)
        fetched_at = datetime.now(UTC)
        items = [i for page in api.iter_cycle_pages() for i in page.items]
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            rows = write_cycles(conn, items, fetched_at, names.schema)
        return MaterializeResult(metadata={"listed": True, "dagster/row_count": rows})

    return billing_cycles


def _org_budget_status(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    @asset(
        deps=[
            names.key("acu_consumption"),
            names.key("organizations"),
            names.key("billing_cycles"),
        ],
        kinds={"duckdb"},
        automation_condition=AUTOMATION,
        required_resource_keys={names.duckdb_resource},
        metadata={
            "dagster/table_name": names.table("org_budget_status"),
            "dagster/column_schema": BUDGET_COLUMNS,
            **column_lineage(names, BUDGET_LINEAGE),
        },
        **_common(names, "org_budget_status"),
    )
    def org_budget_status(context: AssetExecutionContext) -> MaterializeResult:
        """One row per (cycle_start, scope, scope_id) of every cycle acu_consumption covers,
        for the enterprise and each org: billed ACUs (product all), the org's cycle cap,
        the forecast to the cycle's end while it runs, shares of the cap, and cost when
        DEVIN_ACU_PRICE is set. Cycles: the latest listing, else calendar months."""
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            chosen = budget_cycles(conn, settings.cycles_enabled, names.schema)
            rows = rebuild_budget(
                conn, chosen.cycles, settings.acu_price, settings.currency, names.schema
            )
        source = CALENDAR_FALLBACK if chosen.source == "calendar_months" else chosen.source
        if chosen.source == "calendar_months":
            context.log.warning(f"Budget cycles are {CALENDAR_FALLBACK}.")
        return MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "cycles_source": source,
                "cycles_inferred_after_listing": chosen.inferred,
                "priced": settings.acu_price is not None,
                "currency": settings.currency,
            }
        )

    return org_budget_status
