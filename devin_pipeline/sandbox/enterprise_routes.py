"""Routes of the organizations and members endpoints, answered from `data.enterprise`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse

from devin_pipeline.sandbox.auth import requires
from devin_pipeline.sandbox.consumption_routes import consumption_router
from devin_pipeline.sandbox.listing import ListQuery, render_list
from devin_pipeline.sandbox.metrics_routes import metrics_router
from devin_pipeline.sandbox.money_routes import money_router
from devin_pipeline.sandbox.pages import PageError
from devin_pipeline.sandbox.problems import not_found
from devin_pipeline.sandbox.vocab import (
    IDP_USERS_PATH,
    MANAGE_MEMBERSHIP,
    MANAGE_ORGANIZATIONS,
    ORGANIZATIONS_PATH,
    SERVICE_USERS_PATH,
    USERS_PATH,
)

if TYPE_CHECKING:
    from devin_pipeline.sandbox.state import SandboxState

First = Annotated[int, Query(ge=1, le=200)]
JSON = "application/json"


def _page(sb: SandboxState, items: list[dict[str, Any]], query: ListQuery) -> Response:
    # The lists send `total` as the sessions endpoint does (Sandbox(total=...)).
    try:
        return Response(render_list(items, query, total=sb.total), media_type=JSON)
    except PageError as exc:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)


def enterprise_router(sb: SandboxState) -> APIRouter:
    """Organizations, members, consumption, money and metrics, each behind its enterprise
    permission."""
    router = APIRouter()
    _add_organization_routes(router, sb)
    _add_member_routes(router, sb)
    router.include_router(consumption_router(sb))
    router.include_router(money_router(sb))
    router.include_router(metrics_router(sb))
    return router


def _add_organization_routes(router: APIRouter, sb: SandboxState) -> None:
    guard = [Depends(requires(sb, MANAGE_ORGANIZATIONS))]

    @router.get(ORGANIZATIONS_PATH, dependencies=guard)
    async def list_organizations(after: str | None = None, first: First = 100) -> Response:
        """Organizations at the sandbox's clock, by created_at then org_id; deleted ones never."""
        items = sb.data.enterprise.organizations(sb.clock)
        if not sb.cycle_limits:  # Sandbox(cycle_limits=False): no org has a cycle cap
            items = [{**item, "max_cycle_acu_limit": None} for item in items]
        return _page(sb, items, ListQuery(ORGANIZATIONS_PATH, first, after))

    @router.get(ORGANIZATIONS_PATH + "/{org_id}", dependencies=guard)
    async def get_organization(org_id: str) -> dict[str, Any]:
        """One organization's current version; 404 problem details if unknown or deleted."""
        item = sb.data.enterprise.organization(org_id, sb.clock)
        if item is None:
            raise not_found("Organization", org_id)
        return item


def _add_member_routes(router: APIRouter, sb: SandboxState) -> None:
    guard = [Depends(requires(sb, MANAGE_MEMBERSHIP))]

    @router.get(USERS_PATH, dependencies=guard)
    async def list_users(
        after: str | None = None, first: First = 100, email: str | None = None
    ) -> Response:
        """Users with direct role assignments, by user_id; `email` matches exactly."""
        items = sb.data.enterprise.users(sb.clock, email)
        filters = () if email is None else (("email", email),)
        return _page(sb, items, ListQuery(USERS_PATH, first, after, filters))

    @router.get(IDP_USERS_PATH, dependencies=guard)
    async def list_idp_users(
        after: str | None = None, first: First = 100, email: str | None = None
    ) -> Response:
        """Users whose membership comes from IdP groups, by user_id."""
        items = sb.data.enterprise.idp_users(sb.clock, email)
        filters = () if email is None else (("email", email),)
        return _page(sb, items, ListQuery(IDP_USERS_PATH, first, after, filters))

    @router.get(SERVICE_USERS_PATH, dependencies=guard)
    async def list_service_users(
        after: str | None = None, first: First = 100, include_inactive: bool = False
    ) -> Response:
        """Service users by service_user_id; expired ones only with include_inactive=true."""
        items = sb.data.enterprise.service_users(sb.clock, include_inactive)
        filters = (("include_inactive", str(include_inactive)),)
        return _page(sb, items, ListQuery(SERVICE_USERS_PATH, first, after, filters))
