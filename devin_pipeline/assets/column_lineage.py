"""Which upstream columns feed each column of a derived table, shown as `dagster/column_lineage`.

Each derived table declares one mapping here, `{column: ("upstream_table.column", ...)}`, and
its asset spreads `**column_lineage(names, LINEAGE)` into its metadata: the upstream tables
become the instance's asset keys, so a prefixed instance points at its own assets. Dagster's
OSS UI does not draw `dagster/column_lineage`, so the same mapping is also a `column_lineage`
table on the asset page. tests/assets/test_columns.py checks every mapping against the
tables DuckDB creates and the assets' deps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dagster import MetadataValue, TableColumnDep, TableColumnLineage

from devin_pipeline.assets.snapshot_columns import SNAPSHOT_COLUMNS
from devin_pipeline.instance_names import InstanceNames

Lineage = Mapping[str, Sequence[str]]


def column_lineage(names: InstanceNames, lineage: Lineage) -> dict[str, Any]:
    """The metadata of `lineage`: Dagster's `dagster/column_lineage` (each "table.column" a dep
    on the instance's asset of that table), and the same as a table the OSS UI shows."""
    deps = {
        column: [
            TableColumnDep(asset_key=names.key(table), column_name=upstream)
            for table, upstream in (source.split(".", 1) for source in dict.fromkeys(sources))
        ]
        for column, sources in lineage.items()
    }
    rows = [
        f"| `{column}` | "
        + ", ".join(f"`{dep.asset_key.to_user_string()}`.`{dep.column_name}`" for dep in sources)
        + " |"
        for column, sources in deps.items()
    ]
    return {
        "dagster/column_lineage": TableColumnLineage(deps_by_column=deps),
        "column_lineage": MetadataValue.md("| column | from |\n|---|---|\n" + "\n".join(rows)),
    }


# The latest version of each session: every column is the snapshots' column of that name.
SESSIONS_LINEAGE: Lineage = {
    column.name: (f"session_snapshots.{column.name}",) for column in SNAPSHOT_COLUMNS.columns
}

# The metric columns every daily metrics table shares (see METRICS_DEFINITIONS).
_METRICS: Lineage = {
    "metric_date": ("session_snapshots.updated_at", "sessions.created_at"),
    "sessions_created": ("sessions.session_id", "sessions.created_at"),
    "sessions_updated": ("session_snapshots.session_id", "session_snapshots.updated_at"),
    "active_users": ("session_snapshots.user_id", "session_snapshots.updated_at"),
    "acus_consumed": ("session_snapshots.acus_consumed", "session_snapshots.updated_at"),
    "prs_opened": ("session_snapshots.pull_requests", "session_snapshots.updated_at"),
    "prs_merged": ("session_snapshots.pull_requests", "session_snapshots.updated_at"),
}
_PERSON = ("sessions.user_id", "sessions.service_user_id")
METRICS_LINEAGE: Mapping[str, Lineage] = {
    "org_daily_metrics": {
        "org_id": ("sessions.org_id",),
        "org_name": ("organizations.name",),
        **_METRICS,
    },
    "category_daily_metrics": {"category": ("sessions.category",), **_METRICS},
    "user_daily_metrics": {
        "user_id": _PERSON,
        "user_kind": _PERSON,
        "user_name": ("users.name",),
        **_METRICS,
    },
    "origin_daily_metrics": {"origin": ("sessions.origin",), **_METRICS},
}

# The latest listed version of each org, and every org a snapshot names.
ORGANIZATIONS_LINEAGE: Lineage = {
    "org_id": ("organization_versions.org_id", "session_snapshots.org_id"),
    **{
        column: (f"organization_versions.{column}",)
        for column in (
            "name",
            "created_at",
            "updated_at",
            "max_cycle_acu_limit",
            "max_session_acu_limit",
            "raw",
        )
    },
    # From the listings the organization_versions asset writes beside its versions.
    "first_listed_at": ("organization_versions.fetched_at",),
    "last_listed_at": ("organization_versions.fetched_at",),
    "is_listed": ("organization_versions.org_id", "organization_versions.fetched_at"),
}

# People come from the members lists (the API); the ids sessions name come from the snapshots.
_LISTED_MEMBER = ("member_listings.fetched_at", "member_listings.user_id")
# Derived from the stored member listings and the ids the snapshots name.
USERS_LINEAGE: Lineage = {
    "user_id": (
        "member_listings.user_id",
        "session_snapshots.user_id",
        "session_snapshots.service_user_id",
    ),
    "kind": (
        "member_listings.kind",
        "session_snapshots.user_id",
        "session_snapshots.service_user_id",
    ),
    "name": ("member_listings.name", "member_listings.fetched_at"),
    "email": ("member_listings.email", "member_listings.fetched_at"),
    "role_assignments": ("member_listings.role_assignments", "member_listings.fetched_at"),
    "expires_at": ("member_listings.expires_at", "member_listings.fetched_at"),
    "first_listed_at": _LISTED_MEMBER,
    "last_listed_at": _LISTED_MEMBER,
    "is_listed": _LISTED_MEMBER,
    "raw": ("member_listings.raw", "member_listings.fetched_at"),
}

# Billed figures come from the API; which orgs and people are asked about, from the directory.
CONSUMPTION_LINEAGE: Lineage = {"scope_id": ("organizations.org_id", "users.user_id")}

RECONCILIATION_LINEAGE: Lineage = {
    "billing_date": ("acu_consumption.billing_date", "session_snapshots.updated_at"),
    "org_id": ("acu_consumption.scope_id", "session_snapshots.org_id"),
    "org_name": ("organizations.name",),
    "billed_acus": ("acu_consumption.acus",),
    "session_acus": ("session_snapshots.acus_consumed", "session_snapshots.updated_at"),
    "difference": ("acu_consumption.acus", "session_snapshots.acus_consumed"),
}

# A cycle's budget: billed days against its org's cap (currency: a setting, no upstream column).
_CYCLE = ("billing_cycles.cycle_start", "acu_consumption.billing_date")
BUDGET_LINEAGE: Lineage = {
    "cycle_start": _CYCLE,
    "cycle_end": ("billing_cycles.cycle_end", "acu_consumption.billing_date"),
    "scope": ("acu_consumption.scope",),
    "scope_id": ("acu_consumption.scope_id",),
    "org_name": ("organizations.name",),
    "acu_limit": ("organizations.max_cycle_acu_limit",),
    "billed_acus": ("acu_consumption.acus", *_CYCLE),
    "billed_days": ("acu_consumption.billing_date", *_CYCLE),
    "cycle_days": (*_CYCLE, "billing_cycles.cycle_end"),
    "forecast_acus": ("acu_consumption.acus", "acu_consumption.billing_date", *_CYCLE),
    "limit_share": ("acu_consumption.acus", "organizations.max_cycle_acu_limit"),
    "forecast_share": ("acu_consumption.acus", "organizations.max_cycle_acu_limit"),
    "cost": ("acu_consumption.acus",),
    "forecast_cost": ("acu_consumption.acus", "acu_consumption.billing_date"),
    "currency": (),
    "is_current": ("acu_consumption.billing_date", *_CYCLE),
}

# Cohorts of sessions by the month they were created, per dimension.
_OUTCOME_ACUS = ("sessions.acus_consumed",)
_MERGED = ("sessions.pull_requests",)
OUTCOME_LINEAGE: Lineage = {
    "month": ("sessions.created_at",),
    "dimension": (),
    "dimension_value": (
        "sessions.org_id",
        "sessions.category",
        "sessions.origin",
        "session_insights.session_size",
        "users.role_assignments",
    ),
    "org_name": ("organizations.name",),
    "sessions_created": ("sessions.session_id", "sessions.created_at"),
    "sessions_with_merged_pr": ("sessions.session_id", *_MERGED),
    "merge_rate": ("sessions.session_id", *_MERGED),
    "prs_merged": _MERGED,
    "acus": _OUTCOME_ACUS,
    "acus_per_merged_pr": (*_OUTCOME_ACUS, *_MERGED),
    "cost": _OUTCOME_ACUS,
    "cost_per_merged_pr": (*_OUTCOME_ACUS, *_MERGED),
    "is_settled": ("sessions.created_at", "sessions.updated_at"),
}

# Distinct users per period and scope (org: of the session's latest version).
_UPDATED = ("session_snapshots.updated_at",)
_PERIOD_FROM = (*_UPDATED, "sessions.created_at")
ACTIVE_USER_LINEAGE: Lineage = {
    "period": (),
    "period_start": _PERIOD_FROM,
    "period_end": _PERIOD_FROM,
    "scope": (),
    "scope_id": ("sessions.org_id",),
    "org_name": ("organizations.name",),
    "active_users": ("session_snapshots.user_id", *_UPDATED),
    "creating_users": ("sessions.user_id", "sessions.created_at"),
    "is_complete": _UPDATED,
}

# A person's seat: their versions' dates, sessions and ACUs against the freshest snapshot.
_THEIR_VERSIONS = ("session_snapshots.user_id", *_UPDATED)
SEAT_LINEAGE: Lineage = {
    "user_id": ("users.user_id",),
    "user_name": ("users.name",),
    "is_listed": ("users.is_listed",),
    "as_of_date": _UPDATED,
    "first_active_date": _THEIR_VERSIONS,
    "last_active_date": _THEIR_VERSIONS,
    "sessions_7d": ("session_snapshots.session_id", *_THEIR_VERSIONS),
    "sessions_30d": ("session_snapshots.session_id", *_THEIR_VERSIONS),
    "sessions_90d": ("session_snapshots.session_id", *_THEIR_VERSIONS),
    "acus_30d": ("session_snapshots.acus_consumed", *_THEIR_VERSIONS),
    "status": _THEIR_VERSIONS,
}

# Devin's figure beside the sessions' (known_difference: fixed texts by metric and origin).
CROSSCHECK_LINEAGE: Lineage = {
    "period": ("reported_metrics.period",),
    "period_start": ("reported_metrics.period_start",),
    "metric": ("reported_metrics.metric",),
    "dimension": ("reported_metrics.dimension", "sessions.origin"),
    "reported": ("reported_metrics.value",),
    "derived": ("active_user_metrics.creating_users", "sessions.session_id", "sessions.origin"),
    "difference": ("reported_metrics.value", "active_user_metrics.creating_users"),
    "known_difference": ("reported_metrics.metric", "reported_metrics.dimension"),
}
