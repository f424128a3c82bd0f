"""Routes of the consumption endpoints (not paged), answered from `data.enterprise`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import APIRouter, Depends, Response

from devin_pipeline.sandbox.auth import requires
from devin_pipeline.sandbox.problems import not_found
from devin_pipeline.sandbox.vocab import CONSUMPTION_PATH, VIEW_CONSUMPTION

if TYPE_CHECKING:
    from devin_pipeline.sandbox.state import SandboxState

Answer = Callable[[str, str, int | None, int | None], Response]
# path segment below .../daily/ -> (scope, what a 404 calls it)
SCOPED = {
    "organizations": ("org", "Organization"),
    "users": ("user", "User"),
    "service-users": ("service_user", "Service user"),
    "sessions": ("session", "Session"),
}


def consumption_router(sb: SandboxState) -> APIRouter:
    """GET .../consumption/daily and its per org, user, service user and session variants."""
    router = APIRouter()
    guard = [Depends(requires(sb, VIEW_CONSUMPTION))]
    names = dict(SCOPED.values())

    def answer(scope: str, scope_id: str, after: int | None, before: int | None) -> Response:
        body = sb.data.enterprise.consumption(
            scope, scope_id, sb.clock, sb.report_options, after, before
        )
        if body is None:
            raise not_found(names[scope], scope_id)
        return Response(orjson.dumps(body), media_type="application/json")

    @router.get(CONSUMPTION_PATH, dependencies=guard)
    async def enterprise_consumption(
        time_after: int | None = None, time_before: int | None = None
    ) -> Response:
        """All products of the whole enterprise per billing day (08:00 UTC to 08:00 UTC)."""
        return answer("enterprise", "", time_after, time_before)

    for segment, (scope, _) in SCOPED.items():
        _add_scoped(router, guard, segment, scope, answer)
    return router


def _add_scoped(
    router: APIRouter, guard: list[Any], segment: str, scope: str, answer: Answer
) -> None:
    """One route per scope, each closing over its own scope name."""

    path = f"{CONSUMPTION_PATH}/{segment}/{{scope_id}}"

    @router.get(path, dependencies=guard, name=f"{scope}_consumption")
    async def scoped_consumption(
        scope_id: str, time_after: int | None = None, time_before: int | None = None
    ) -> Response:
        """Devin ACUs billed to one org, user, service user or session per billing day."""
        return answer(scope, scope_id, time_after, time_before)
