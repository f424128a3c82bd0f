"""Routes of the billing cycles and session insights lists, paged like the others."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse

from devin_pipeline.sandbox.auth import requires
from devin_pipeline.sandbox.listing import ListQuery, render_list
from devin_pipeline.sandbox.pages import ListParams, PageError
from devin_pipeline.sandbox.vocab import (
    CYCLES_PATH,
    INSIGHTS_PATH,
    VIEW_CONSUMPTION,
    VIEW_SESSIONS,
)

if TYPE_CHECKING:
    from devin_pipeline.sandbox.state import SandboxState

First = Annotated[int, Query(ge=1, le=200)]
Strings = Annotated[list[str] | None, Query()]


def money_router(sb: SandboxState) -> APIRouter:
    """GET .../consumption/cycles and GET .../sessions/insights."""
    router = APIRouter()

    @router.get(CYCLES_PATH, dependencies=[Depends(requires(sb, VIEW_CONSUMPTION))])
    async def list_cycles(after: str | None = None, first: First = 100) -> Response:
        """Billing cycles at the clock, newest first; the running one unless
        Sandbox(running_cycle=False)."""
        items = sb.data.enterprise.cycles.listed(sb.clock, sb.running_cycle)
        return _page(sb, items, ListQuery(CYCLES_PATH, first, after))

    @router.get(INSIGHTS_PATH, dependencies=[Depends(requires(sb, VIEW_SESSIONS))])
    async def list_insights(
        after: str | None = None,
        first: First = 100,
        session_ids: Strings = None,
        created_after: int | None = None,
        created_before: int | None = None,
        include_deleted_orgs: bool = False,
    ) -> Response:
        """Each session's insights at the clock (its current version's fields), newest first;
        `created_*` compare as the sessions list's bounds do."""
        params = ListParams(
            session_ids=None if session_ids is None else tuple(session_ids),
            created_after=created_after,
            created_before=created_before,
            include_deleted_orgs=include_deleted_orgs,
        )
        items = sb.insights.items(params.filters(sb.bounds), sb.clock)
        filters = tuple((k, str(v)) for k, v in sorted(vars(params).items()) if k != "after")
        return _page(sb, items, ListQuery(INSIGHTS_PATH, first, after, filters))

    return router


def _page(sb: SandboxState, items: list[dict[str, Any]], query: ListQuery) -> Response:
    try:
        body = render_list(items, query, total=sb.total)
    except PageError as exc:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)
    return Response(body, media_type="application/json")
