"""`session_insights` and `outcome_metrics`: what sessions deliver (merged PRs) for what they
cost, per org, category, origin, size and team (CONTRACT.md, "Adoption, money and outcomes")."""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from datetime import UTC, date, datetime, timedelta
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    asset,
)

from devin_pipeline.assets.attributes import asset_attributes, single_run_backfill
from devin_pipeline.assets.column_lineage import OUTCOME_LINEAGE, column_lineage
from devin_pipeline.assets.metrics import AUTOMATION
from devin_pipeline.assets.money_columns import INSIGHT_COLUMNS, OUTCOME_COLUMNS
from devin_pipeline.ingest.insights import insight_row
from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames
from devin_pipeline.partitions import daily_partitions, day_bounds
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.insight_store import (
    create_insights_table,
    refresh_outcomes,
    write_insights,
)


def build_outcome_assets(
    settings: Settings, names: InstanceNames = DEFAULT_NAMES
) -> list[AssetsDefinition]:
    """The insights (daily partitions by created_at day) and the outcome cohorts."""
    return [_session_insights(settings, names), _outcome_metrics(settings, names)]


def _common(names: InstanceNames, table: str) -> dict[str, Any]:
    return asset_attributes(names, table, "outcomes")


def _session_insights(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    policy = single_run_backfill()

    @asset(
        partitions_def=daily_partitions(settings.partitions_start),
        backfill_policy=policy,
        kinds={"duckdb", "python"},
        required_resource_keys={names.api_resource, names.duckdb_resource},
        metadata={
            "dagster/table_name": names.table("session_insights"),
            "dagster/column_schema": INSIGHT_COLUMNS,
            "source": "GET /v3/enterprise/sessions/insights",
        },
        **_common(names, "session_insights"),
    )
    def session_insights(context: AssetExecutionContext) -> MaterializeResult:
        """One row per session created on day D (UTC) with its size, message counts and
        Devin's analysis (NULL until generated). A run replaces its days whole: insights are
        a current view, and the daily schedule re-reads the lookback so late analyses
        arrive. Without personal data, the analysis keeps counts and labels only."""
        window = context.partition_time_window
        first, last = window.start.date(), (window.end - timedelta(days=1)).date()
        if not settings.insights_enabled:
            context.log.info("insights_enabled is false: session insights are not read.")
            return MaterializeResult(metadata={"read": False})
        api: DevinAPIResource = getattr(context.resources, names.api_resource)
        items = _read_days(api, first, last, settings.include_deleted_orgs)
        rows = [insight_row(i, settings.store_personal_data) for i in items]
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            personal = settings.store_personal_data
            stamp = datetime.now(UTC)
            written = write_insights(conn, rows, (first, last), stamp, names.schema, personal)
        analysed = sum(1 for r in rows if r["has_analysis"])
        return MaterializeResult(
            metadata={
                "dagster/row_count": written,
                "analysed": analysed,
                "days": (last - first).days + 1,
            }
        )

    return session_insights


def _read_days(
    api: DevinAPIResource, first: date, last: date, include_deleted_orgs: bool
) -> list[dict[str, Any]]:
    """Sessions created in [first 00:00, last+1 00:00) UTC: asked with a second to spare on
    each side (the bounds may be inclusive or exclusive), kept exactly client-side."""
    start, _ = day_bounds(first)
    _, end = day_bounds(last)
    pages = api.iter_insight_pages(
        created_after=start - 1, created_before=end, include_deleted_orgs=include_deleted_orgs
    )
    return [i for page in pages for i in page.items if start <= i["created_at"] < end]


def _outcome_metrics(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    @asset(
        deps=[
            names.key("sessions"),
            names.key("session_insights"),
            names.key("users"),
            names.key("organizations"),
        ],
        kinds={"duckdb"},
        automation_condition=AUTOMATION,
        required_resource_keys={names.duckdb_resource},
        metadata={
            "dagster/table_name": names.table("outcome_metrics"),
            "dagster/column_schema": OUTCOME_COLUMNS,
            **column_lineage(names, OUTCOME_LINEAGE),
        },
        **_common(names, "outcome_metrics"),
    )
    def outcome_metrics(context: AssetExecutionContext) -> MaterializeResult:
        """Cohorts of sessions by the UTC month of created_at, per enterprise, org, category,
        origin, session_size and team (IdP group): sessions, those with a merged PR, the
        merge rate, merged PRs, ACUs, ACUs per merged PR, and cost when DEVIN_ACU_PRICE is
        set. A cohort is settled once its month ended more than the lookback ago."""
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            create_insights_table(conn, names.schema)
            rows = refresh_outcomes(
                conn,
                settings.acu_price,
                settings.lookback_days,
                names.schema,
                settings.incremental_refresh,
            )
        return MaterializeResult(
            metadata={"dagster/row_count": rows, "priced": settings.acu_price is not None}
        )

    return outcome_metrics
