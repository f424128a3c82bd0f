"""Routes of the metrics endpoints (not paged), answered from `data.enterprise.metrics`.

List parameters come as the repeated key (`org_ids=a&org_ids=b`), what FastAPI reads and
the real API most likely accepts; with `MetricsOptions(comma_lists=True)` a value may also be
comma-joined (`org_ids=a,b`), as Devin's Python SDK sends them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Response

from devin_pipeline.sandbox.auth import requires
from devin_pipeline.sandbox.metrics_options import Scope
from devin_pipeline.sandbox.vocab import METRICS_PATH, VIEW_METRICS

if TYPE_CHECKING:
    from devin_pipeline.sandbox.state import SandboxState

Strings = Annotated[list[str] | None, Query()]
Threshold = Annotated[int, Query(ge=0)]
PERIOD_PATHS = {"dau": "day", "wau": "week", "mau": "month"}


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


def metrics_router(sb: SandboxState) -> APIRouter:
    """dau, wau, mau, active-users, sessions, prs, searches and usage."""
    router = APIRouter()
    guard = [Depends(requires(sb, VIEW_METRICS))]

    def ids(values: list[str] | None) -> tuple[str, ...] | None:
        if values is None:
            return None
        if sb.metrics_options.comma_lists:
            return tuple(p for v in values for p in v.split(",") if p)
        return tuple(values)

    for path, period in PERIOD_PATHS.items():
        _add_buckets(router, sb, guard, path, period, ids)

    @router.get(f"{METRICS_PATH}/active-users", dependencies=guard)
    async def active_users(
        time_after: int, time_before: int, org_ids: Strings = None,
        min_sessions: Threshold = 1, min_searches: Threshold = 1,
    ) -> Response:  # fmt: skip
        """Distinct active people over the whole range."""
        metrics, options = sb.data.enterprise.metrics, sb.metrics_options
        count = metrics.active_users(
            time_after, time_before, sb.clock, options, Scope(org_ids=ids(org_ids)),
            min_sessions, min_searches,
        )  # fmt: skip
        end = time_before if options.end_time == "next_boundary" else time_before - 1
        return _json({"active_users": count, "start_time": time_after, "end_time": end})

    @router.get(f"{METRICS_PATH}/sessions", dependencies=guard)
    async def sessions(
        time_after: int, time_before: int, org_ids: Strings = None, user_ids: Strings = None,
        service_user_ids: Strings = None, playbook_id: str | None = None,
    ) -> Response:  # fmt: skip
        """Sessions created in the range: counts, average ACUs, by size and by origin."""
        scope = Scope(ids(org_ids), ids(user_ids), ids(service_user_ids), playbook_id)
        metrics = sb.data.enterprise.metrics
        return _json(metrics.sessions(time_after, time_before, sb.clock, sb.metrics_options, scope))

    @router.get(f"{METRICS_PATH}/prs", dependencies=guard)
    async def prs(
        time_after: int, time_before: int, org_ids: Strings = None, user_ids: Strings = None,
        service_user_ids: Strings = None, playbook_id: str | None = None,
    ) -> Response:  # fmt: skip
        """PRs of the sessions created in the range, by state as of now."""
        scope = Scope(ids(org_ids), ids(user_ids), ids(service_user_ids), playbook_id)
        return _json(sb.data.enterprise.metrics.prs(time_after, time_before, sb.clock, scope))

    @router.get(f"{METRICS_PATH}/searches", dependencies=guard)
    async def searches(
        time_after: int, time_before: int, org_ids: Strings = None, user_ids: Strings = None
    ) -> Response:
        """Searches run in the range."""
        scope = Scope(org_ids=ids(org_ids), user_ids=ids(user_ids))
        metrics, options = sb.data.enterprise.metrics, sb.metrics_options
        count = metrics.searches_created(time_after, time_before, sb.clock, options, scope)
        return _json({"searches_created_count": count})

    @router.get(f"{METRICS_PATH}/usage", dependencies=guard)
    async def usage(time_after: int | None = None, time_before: int | None = None) -> Response:
        """Whole-enterprise totals; the times are optional here."""
        metrics = sb.data.enterprise.metrics
        return _json(metrics.usage(time_after, time_before, sb.clock, sb.metrics_options))

    return router


def _add_buckets(
    router: APIRouter, sb: SandboxState, guard: list[Any], path: str, period: str, ids: Any
) -> None:
    """One route per period, each closing over its own period."""

    @router.get(f"{METRICS_PATH}/{path}", dependencies=guard, name=f"metrics_{path}")
    async def buckets(
        time_after: int, time_before: int, org_ids: Strings = None,
        min_sessions: Threshold = 1, min_searches: Threshold = 1,
    ) -> Response:  # fmt: skip
        """Active people per UTC day / week (Monday) / month overlapping the range."""
        body = sb.data.enterprise.metrics.buckets(
            period, time_after, time_before, sb.clock, sb.metrics_options,
            scope=Scope(org_ids=ids(org_ids)), min_sessions=min_sessions,
            min_searches=min_searches,
        )  # fmt: skip
        return _json(body)
