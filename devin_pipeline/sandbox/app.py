"""The FastAPI app: the strict sessions endpoint, the other enterprise endpoints and the
loopback-only admin endpoints."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse

from devin_pipeline.sandbox.auth import requires
from devin_pipeline.sandbox.enterprise_routes import enterprise_router
from devin_pipeline.sandbox.faults import FaultPlan
from devin_pipeline.sandbox.pages import ListParams, PageError
from devin_pipeline.sandbox.problems import ProblemError, problem_response
from devin_pipeline.sandbox.vocab import SESSIONS_PATH, VIEW_SESSIONS, Category, Origin

if TYPE_CHECKING:
    from devin_pipeline.sandbox.state import SandboxState

__all__ = ["build_app"]
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

Strings = Annotated[list[str] | None, Query()]


def _tuple(values: list[Any] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(str(getattr(v, "value", v)) for v in values)


def build_app(sb: SandboxState) -> FastAPI:
    """One app per sandbox: its routers read the live state (clock, key, bounds, faults)."""
    app = FastAPI(title="Devin API sandbox", version="3", docs_url="/_sandbox/docs")

    app.add_exception_handler(ProblemError, problem_response)
    app.include_router(_sessions_router(sb))
    app.include_router(enterprise_router(sb))
    app.include_router(_admin_router(sb))
    return app


def _sessions_router(sb: SandboxState) -> APIRouter:
    """GET /v3/enterprise/sessions, strict as FastAPI validates it."""
    router = APIRouter()

    @router.get(SESSIONS_PATH, dependencies=[Depends(requires(sb, VIEW_SESSIONS))])
    async def list_sessions(
        after: str | None = None,
        first: Annotated[int, Query(ge=1, le=200)] = 100,
        session_ids: Strings = None,
        created_after: int | None = None,
        created_before: int | None = None,
        updated_after: int | None = None,
        updated_before: int | None = None,
        tags: Strings = None,
        playbook_id: str | None = None,
        origins: Annotated[list[Origin] | None, Query()] = None,
        schedule_id: str | None = None,
        user_ids: Strings = None,
        service_user_ids: Strings = None,
        category: Category | None = None,
        org_ids: Strings = None,
        include_deleted_orgs: bool = False,
    ) -> Response:
        """List sessions for account (the sandbox's GET /v3/enterprise/sessions)."""
        params = ListParams(
            after=after,
            first=first,
            session_ids=_tuple(session_ids),
            created_after=created_after,
            created_before=created_before,
            updated_after=updated_after,
            updated_before=updated_before,
            tags=_tuple(tags),
            playbook_id=playbook_id,
            origins=_tuple(origins),
            schedule_id=schedule_id,
            user_ids=_tuple(user_ids),
            service_user_ids=_tuple(service_user_ids),
            category=None if category is None else category.value,
            org_ids=_tuple(org_ids),
            include_deleted_orgs=include_deleted_orgs,
        )
        try:
            body = sb.render(params)
        except PageError as exc:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status)
        return Response(body, media_type="application/json")

    return router


def _loopback_only(request: Request) -> None:
    if request.client is None or request.client.host not in _LOOPBACK:
        raise HTTPException(403, "The sandbox's admin endpoints answer loopback clients only")


def _admin_router(sb: SandboxState) -> APIRouter:
    """Let another process (the CLI's user, a benchmark) drive the clock and the faults."""
    router = APIRouter(dependencies=[Depends(_loopback_only)])

    @router.get("/_sandbox/state")
    async def state() -> dict[str, int]:
        return {"clock": sb.clock, "requests": len(sb.requests)}

    @router.post("/_sandbox/clock")
    async def set_clock(body: dict[str, int]) -> dict[str, int]:
        if set(body) == {"now"}:
            sb.clock = body["now"]
        elif set(body) == {"advance"}:
            sb.advance(body["advance"])
        else:
            raise HTTPException(422, 'Send {"now": <epoch seconds>} or {"advance": <seconds>}')
        return await state()

    @router.post("/_sandbox/faults")
    async def set_faults(body: dict[str, Any]) -> dict[str, Any]:
        try:
            sb.faults = FaultPlan.from_json(body)
        except (TypeError, ValueError) as exc:
            raise HTTPException(422, str(exc)) from exc
        return asdict(sb.faults)

    @router.post("/_sandbox/reset-stats")
    async def reset_stats() -> dict[str, int]:
        sb.reset_stats()
        return await state()

    return router
