"""`devin/organization_versions`, `devin/organizations` and `devin/users`: who is behind the ids.

The listings make requests, so they run with the daily schedule (or on their own), never on
every snapshot change; `organizations` is derived without requests and follows its inputs.
Each source can be switched off; then nothing is requested and ids come from the snapshots
alone, with NULL names (CONTRACT.md, "Organizations, people and billing").
"""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from datetime import UTC, datetime
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    asset,
)
from dagster_duckdb import DuckDBResource

from devin_pipeline.assets.keys import ORGANIZATION_VERSIONS, SNAPSHOTS
from devin_pipeline.assets.metrics import AUTOMATION
from devin_pipeline.assets.session_snapshots import DUCKDB_POOL
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.organization_store import (
    rebuild_organizations,
    write_organization_listing,
)
from devin_pipeline.warehouse.user_store import MemberListing, write_users

_COMMON: dict[str, Any] = {
    "key_prefix": "devin",
    "group_name": "directory",
    "pool": DUCKDB_POOL,
    "owners": ["team:data-platform"],
}


def build_directory_assets(settings: Settings) -> list[AssetsDefinition]:
    """The organization and people assets for these settings (sources on or off)."""

    @asset(
        name="organization_versions",
        kinds={"duckdb", "python"},
        metadata=_table("organization_versions", "GET /v3/enterprise/organizations"),
        **_COMMON,
    )
    def organization_versions(
        context: AssetExecutionContext, devin_api: DevinAPIResource, duckdb: DuckDBResource
    ) -> MaterializeResult:
        """One row per observed version of an organization, key (org_id, updated_at); a rename
        is a new version, nothing is deleted. Each complete listing is written in one
        transaction, with the ids it held (devin.organization_listings, behind `is_listed`)."""
        if not settings.organizations_enabled:
            context.log.info("DEVIN_READ_ORGANIZATIONS=false: organizations are not listed.")
            return MaterializeResult(metadata={"listed": False})
        fetched_at = datetime.now(UTC)
        items = [i for page in devin_api.iter_organization_pages() for i in page.items]
        with utc_connection(duckdb) as conn:
            versions = write_organization_listing(conn, items, fetched_at)
        return MaterializeResult(metadata={"listed": True, "listed_versions": versions})

    @asset(
        name="organizations",
        deps=[ORGANIZATION_VERSIONS, SNAPSHOTS],
        kinds={"duckdb"},
        automation_condition=AUTOMATION,
        metadata=_table("organizations"),
        **_COMMON,
    )
    def organizations(duckdb: DuckDBResource) -> MaterializeResult:
        """One row per org_id ever listed or named by a session snapshot: the fields of its
        latest listed version (NULL if never listed), first_listed_at, last_listed_at, and
        is_listed (held by the latest successful listing; a deleted org stays, with false)."""
        with utc_connection(duckdb) as conn:
            rows = rebuild_organizations(conn)
            listed = conn.execute(
                "SELECT count(*) FILTER (WHERE is_listed) FROM devin.organizations"
            ).fetchone()
        return MaterializeResult(
            metadata={"dagster/row_count": rows, "listed": int(listed[0]) if listed else 0}
        )

    @asset(
        name="users",
        deps=[SNAPSHOTS],
        kinds={"duckdb", "python"},
        metadata=_table(
            "users",
            "GET /v3/enterprise/members/users, /members/idp-users, /members/service-users",
        ),
        **_COMMON,
    )
    def users(
        context: AssetExecutionContext, devin_api: DevinAPIResource, duckdb: DuckDBResource
    ) -> MaterializeResult:
        """One row per person or service user ever listed or named by a session snapshot, with
        the role assignments of every list the id appears in. A failed listing changes nothing;
        DEVIN_STORE_PERSONAL_DATA=false keeps names and emails out of the warehouse."""
        listing = _list_members(devin_api) if settings.members_enabled else None
        if listing is None:
            context.log.info("DEVIN_READ_MEMBERS=false: people come from the snapshots only.")
        personal = settings.store_personal_data
        with utc_connection(duckdb) as conn:
            rows = write_users(conn, listing, datetime.now(UTC), personal)
        return MaterializeResult(
            metadata={"dagster/row_count": rows, "listed": listing is not None}
        )

    return [organization_versions, organizations, users]


def _list_members(api: DevinAPIResource) -> MemberListing:
    """All three members lists, complete; expired service users included (their ids stay)."""
    return MemberListing(
        users=[i for page in api.iter_user_pages() for i in page.items],
        idp_users=[i for page in api.iter_idp_user_pages() for i in page.items],
        service_users=[
            i for page in api.iter_service_user_pages(include_inactive=True) for i in page.items
        ],
    )


def _table(name: str, source: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"dagster/table_name": f"devin.{name}"}
    if source:
        metadata["source"] = source
    return metadata
