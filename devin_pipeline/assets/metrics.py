"""`devin/sessions` and the daily metrics, equal to a recompute from all of
`devin/session_snapshots`.

A late observation can change any past day, so these tables are unpartitioned; each run
recomputes the days the changed sessions touch (warehouse/change_log.py), or all of them on
the first run or with DEVIN_INCREMENTAL_REFRESH=false (CONTRACT.md).
"""

# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    AssetSpec,
    AutomationCondition,
    FreshnessPolicy,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableSchema,
    asset,
    multi_asset,
)

from devin_pipeline.assets.attributes import OWNERS
from devin_pipeline.assets.column_lineage import METRICS_LINEAGE, SESSIONS_LINEAGE, column_lineage
from devin_pipeline.assets.snapshot_columns import SNAPSHOT_COLUMNS
from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.metrics_store import (
    CATEGORY_DAILY_METRICS,
    METRICS_TABLES,
    ORG_DAILY_METRICS,
    ORIGIN_DAILY_METRICS,
    USER_DAILY_METRICS,
    MetricsTable,
    markdown_table,
    metrics_totals,
    refresh_daily_metrics,
    sessions_total_acus,
    top_groups,
)
from devin_pipeline.warehouse.session_store import refresh_sessions

SNAPSHOTS = DEFAULT_NAMES.key("session_snapshots")
SESSIONS = DEFAULT_NAMES.key("sessions")

# Plain eager() never fires for an unpartitioned child of a daily asset: its
# ~any_deps_missing wants every historical partition materialized (docs/dagster-notes.md).
AUTOMATION = AutomationCondition.eager().without(~AutomationCondition.any_deps_missing())
# Each day is fetched soon after it ends; 30 hours leaves the daily run 6 hours to land.
FRESHNESS = FreshnessPolicy.time_window(fail_window=timedelta(hours=30))
COMMON: dict[str, Any] = {
    "group_name": "metrics",
    "kinds": {"duckdb"},
    "owners": OWNERS,
    "automation_condition": AUTOMATION,
    "freshness_policy": FRESHNESS,
}

METRICS_DEFINITIONS = """A session is grouped by the {group} of its **latest** observed version, so it
never splits across groups{null_rule}. A row exists only where at least one metric is non-zero.
All dates are UTC days.

| column | definition |
|---|---|
| `sessions_created` | distinct sessions whose `created_at` falls on `metric_date` |
| `sessions_updated` | distinct sessions with an observed version whose `updated_at` falls on `metric_date` |
| `active_users` | distinct non-null `user_id` of those versions (service users are not users) |
| `acus_consumed` | ACUs attributed to `metric_date`: each observed version adds its growth over the session's previous version (the first adds all of it) on the day of its `updated_at`, so a session's days sum to its latest `acus_consumed` |
| `prs_opened` | distinct `pr_url` whose first observed version (any state) among the group's versions falls on `metric_date` |
| `prs_merged` | distinct `pr_url` whose first observed version with `pr_state = 'merged'` among the group's versions falls on `metric_date` |
"""  # noqa: E501

_METRIC_COLUMNS = [
    ("sessions_created", "BIGINT", "Distinct sessions whose created_at falls on metric_date."),
    ("sessions_updated", "BIGINT", "Distinct sessions with a version updated on metric_date."),
    ("active_users", "BIGINT", "Distinct non-null user_id of the versions updated that day."),
    ("acus_consumed", "DOUBLE", "ACUs attributed to the day: growth over the previous version."),
    ("prs_opened", "BIGINT", "Distinct pr_url first observed in the group on metric_date."),
    ("prs_merged", "BIGINT", "Distinct pr_url first observed merged in the group on metric_date."),
]


def build_metrics_assets(
    settings: Settings, names: InstanceNames = DEFAULT_NAMES
) -> tuple[AssetsDefinition, AssetsDefinition]:
    """`sessions` and `daily_metrics` of an instance: its keys, schema, resource and pool."""
    incremental = settings.incremental_refresh
    return _sessions_asset(names, incremental), _daily_metrics_asset(names, incremental)


def _sessions_asset(names: InstanceNames, incremental: bool) -> AssetsDefinition:
    table = names.table("sessions")

    @asset(
        key_prefix=names.prefix,
        name="sessions",
        deps=[names.key("session_snapshots")],
        pool=names.pool,
        required_resource_keys={names.duckdb_resource},
        metadata={
            "dagster/column_schema": SNAPSHOT_COLUMNS,
            **column_lineage(names, SESSIONS_LINEAGE),
            "dagster/table_name": table,
        },
        description=f"""One row per session: its latest observed version, the row with the
greatest `updated_at` per `session_id` in `{names.table("session_snapshots")}`. Same columns as
the snapshots. The same step keeps, beside it, each version's ACU attribution (`version_acus`),
each session's PRs and span of days, which the derived tables read; a run replaces only the
sessions with a version on a changed day.""",
        **COMMON,
    )
    def sessions(context: AssetExecutionContext) -> MaterializeResult:
        with utc_connection(
            getattr(context.resources, names.duckdb_resource), names.schema
        ) as conn:
            rows = refresh_sessions(conn, names.schema, incremental)
            total_acus = sessions_total_acus(conn, names.schema)
        return MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "dagster/column_schema": SNAPSHOT_COLUMNS,
                "total_acus": total_acus,
            }
        )

    return sessions


def _metrics_spec(
    names: InstanceNames,
    table: MetricsTable,
    group: str,
    null_rule: str = "",
    names_from: str | None = None,
) -> AssetSpec:
    description = (
        f"One row per (`metric_date`, `{table.group_column}`): each {group}'s daily Devin usage, "
        f"equal to a recompute from all of `{names.table('session_snapshots')}`: each run "
        "recomputes the days the changed sessions touch, so a late observation corrects every "
        "day it touches and a run costs what changed, not the history.\n\n"
        + METRICS_DEFINITIONS.format(group=f"`{table.group_column}`", null_rule=null_rule)
    )
    return AssetSpec(
        key=names.key(table.name),
        # The attribution reads every version in the snapshots; the grouping and created_at
        # come from each session's latest version in the sessions table; names from the
        # directory table `names_from`.
        deps=[
            names.key("sessions"),
            names.key("session_snapshots"),
            *([names.key(names_from)] if names_from else []),
        ],
        description=description,
        metadata={
            "dagster/column_schema": _metrics_schema(table),
            **column_lineage(names, METRICS_LINEAGE[table.name]),
            "dagster/table_name": table.in_schema(names.schema).qualified_name,
        },
        **COMMON,
    )


def _metrics_schema(table: MetricsTable) -> TableSchema:
    columns = [
        TableColumn("metric_date", "DATE", "The UTC day the metrics are about."),
        TableColumn(table.group_column, "VARCHAR", "The session's group: its latest version's."),
    ]
    columns += [TableColumn(label.name, label.type, label.description) for label in table.labels]
    columns += [TableColumn(name, type_, text) for name, type_, text in _METRIC_COLUMNS]
    return TableSchema(columns=columns)


def _daily_metrics_asset(names: InstanceNames, incremental: bool) -> AssetsDefinition:
    @multi_asset(
        name=names.scoped("daily_metrics"),
        specs=[
            _metrics_spec(names, ORG_DAILY_METRICS, "org", names_from="organizations"),
            _metrics_spec(
                names, CATEGORY_DAILY_METRICS, "category", " (a null category is `uncategorized`)"
            ),
            _metrics_spec(
                names,
                USER_DAILY_METRICS,
                "user",
                " (its `user_id`, else its `service_user_id`, else `unattributed`; `user_kind` "
                "says which)",
                names_from="users",
            ),
            _metrics_spec(names, ORIGIN_DAILY_METRICS, "origin", " (a null origin is `unknown`)"),
        ],
        pool=names.pool,
        required_resource_keys={names.duckdb_resource},
        # One pass computes all four tables and commits them together, so they always agree.
        can_subset=False,
    )
    def daily_metrics(context: AssetExecutionContext) -> Iterator[MaterializeResult]:
        """Rebuilds the per-org, per-category, per-user and per-origin daily metrics in one
        transaction, from one per-version ACU attribution shared by all four."""
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            rows = refresh_daily_metrics(conn, names.schema, incremental)
            results: list[MaterializeResult] = [
                MaterializeResult(
                    asset_key=names.key(table.name),
                    metadata=_metrics_metadata(conn, table.in_schema(names.schema), rows[table]),
                )
                for table in METRICS_TABLES
            ]
        yield from results

    return daily_metrics


def _metrics_metadata(
    conn: duckdb.DuckDBPyConnection, table: MetricsTable, rows: int
) -> dict[str, Any]:
    totals = metrics_totals(conn, table)
    columns, top = top_groups(conn, table)
    return {
        "dagster/row_count": rows,
        "dagster/column_schema": _metrics_schema(table),
        "total_acus": totals.acus_consumed,
        "sessions": totals.sessions_created,
        "prs_merged": totals.prs_merged,
        "top_by_acus": MetadataValue.md(markdown_table(columns, top)),
    }


sessions, daily_metrics = build_metrics_assets(Settings())
