"""`organization_versions`, `organizations`, `member_listings` and `users`: who is behind the ids.

The listings make requests, so they run with the daily schedule (or on their own), never on
every snapshot change; `organizations` and `users` are derived without requests and follow
their inputs, so an id a new snapshot names has its row as soon as that snapshot is.
Each source can be switched off; then nothing is requested and ids come from the snapshots
alone, with NULL names (CONTRACT.md, "Organizations, people and billing").
"""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from datetime import UTC, datetime
from typing import Any

from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, asset

from devin_pipeline.assets.attributes import asset_attributes
from devin_pipeline.assets.column_lineage import (
    ORGANIZATIONS_LINEAGE,
    USERS_LINEAGE,
    column_lineage,
)
from devin_pipeline.assets.metrics import AUTOMATION
from devin_pipeline.assets.source_columns import (
    MEMBER_LISTING_COLUMNS,
    ORGANIZATION_COLUMNS,
    ORGANIZATION_VERSION_COLUMNS,
    USER_COLUMNS,
)
from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.organization_store import (
    rebuild_organizations,
    write_organization_listing,
)
from devin_pipeline.warehouse.user_store import (
    MemberListing,
    rebuild_users,
    write_member_listing,
)


def build_directory_assets(
    settings: Settings, names: InstanceNames = DEFAULT_NAMES
) -> list[AssetsDefinition]:
    """The organization and people assets of an instance (sources on or off)."""
    return [
        _organization_versions(settings, names),
        _organizations(names),
        _member_listings(settings, names),
        _users(settings, names),
    ]


def _common(names: InstanceNames, table: str, *, listing: bool) -> dict[str, Any]:
    resources = {names.duckdb_resource, *([names.api_resource] if listing else [])}
    return {
        **asset_attributes(names, table, "directory"),
        "kinds": {"duckdb", "python"} if listing else {"duckdb"},
        "required_resource_keys": resources,
    }


def _organization_versions(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    @asset(
        metadata={
            "dagster/table_name": names.table("organization_versions"),
            "dagster/column_schema": ORGANIZATION_VERSION_COLUMNS,
            "source": "GET /v3/enterprise/organizations",
        },
        **_common(names, "organization_versions", listing=True),
    )
    def organization_versions(context: AssetExecutionContext) -> MaterializeResult:
        """One row per observed version of an organization, key (org_id, updated_at); a rename
        is a new version, nothing is deleted. Each complete listing is written in one
        transaction, with the ids it held (organization_listings, behind `is_listed`)."""
        if not settings.organizations_enabled:
            context.log.info("organizations_enabled is false: organizations are not listed.")
            return MaterializeResult(metadata={"listed": False})
        api: DevinAPIResource = getattr(context.resources, names.api_resource)
        fetched_at = datetime.now(UTC)
        items = [i for page in api.iter_organization_pages() for i in page.items]
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            versions = write_organization_listing(conn, items, fetched_at, names.schema)
        return MaterializeResult(metadata={"listed": True, "listed_versions": versions})

    return organization_versions


def _organizations(names: InstanceNames) -> AssetsDefinition:
    @asset(
        deps=[names.key("organization_versions"), names.key("session_snapshots")],
        automation_condition=AUTOMATION,
        metadata={
            "dagster/table_name": names.table("organizations"),
            "dagster/column_schema": ORGANIZATION_COLUMNS,
            **column_lineage(names, ORGANIZATIONS_LINEAGE),
        },
        **_common(names, "organizations", listing=False),
    )
    def organizations(context: AssetExecutionContext) -> MaterializeResult:
        """One row per org_id ever listed or named by a session snapshot: the fields of its
        latest listed version (NULL if never listed), first_listed_at, last_listed_at, and
        is_listed (held by the latest successful listing; a deleted org stays, with false)."""
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            rows, listed = rebuild_organizations(conn, names.schema)
        return MaterializeResult(metadata={"dagster/row_count": rows, "listed": listed})

    return organizations


def _member_listings(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    @asset(
        metadata={
            "dagster/table_name": names.table("member_listings"),
            "dagster/column_schema": MEMBER_LISTING_COLUMNS,
            "source": "GET /v3/enterprise/members/users, /members/idp-users, "
            "/members/service-users",
        },
        **_common(names, "member_listings", listing=True),
    )
    def member_listings(context: AssetExecutionContext) -> MaterializeResult:
        """Every row of each complete listing of the three members lists, with when it was
        read; never deleted. A failed listing stores nothing; with store_personal_data false
        no name or email is stored (and those of earlier listings are forgotten)."""
        if not settings.members_enabled:
            context.log.info("members_enabled is false: people come from the snapshots only.")
            return MaterializeResult(metadata={"listed": False})
        api: DevinAPIResource = getattr(context.resources, names.api_resource)
        listing = _list_members(api)
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            ids = write_member_listing(
                conn, listing, datetime.now(UTC), settings.store_personal_data, names.schema
            )
        return MaterializeResult(metadata={"listed": True, "listed_ids": ids})

    return member_listings


def _users(settings: Settings, names: InstanceNames) -> AssetsDefinition:
    @asset(
        deps=[names.key("member_listings"), names.key("session_snapshots")],
        automation_condition=AUTOMATION,
        metadata={
            "dagster/table_name": names.table("users"),
            "dagster/column_schema": USER_COLUMNS,
            **column_lineage(names, USERS_LINEAGE),
        },
        **_common(names, "users", listing=False),
    )
    def users(context: AssetExecutionContext) -> MaterializeResult:
        """One row per person or service user ever listed or named by a session snapshot, with
        the role assignments of every list the id appears in; derived without requests from
        the stored listings and the snapshots, so it follows both. With store_personal_data
        false no name or email reaches the warehouse."""
        duckdb = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb, names.schema) as conn:
            rows, listed = rebuild_users(conn, settings.store_personal_data, names.schema)
        return MaterializeResult(metadata={"dagster/row_count": rows, "listed": listed})

    return users


def _list_members(api: DevinAPIResource) -> MemberListing:
    """All three members lists, complete; expired service users included (their ids stay)."""
    return MemberListing(
        users=[i for page in api.iter_user_pages() for i in page.items],
        idp_users=[i for page in api.iter_idp_user_pages() for i in page.items],
        service_users=[
            i for page in api.iter_service_user_pages(include_inactive=True) for i in page.items
        ],
    )
