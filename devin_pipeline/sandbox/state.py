"""The sandbox's live state, which the routes read: data, clock, key, options, faults, log.

Serving it (uvicorn) is `server.Sandbox`'s job; the routes depend on this module only, so the
sandbox's modules import each other without a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl

import numpy as np

from devin_pipeline.sandbox.billing import ReportOptions
from devin_pipeline.sandbox.data import SandboxData
from devin_pipeline.sandbox.faults import FaultPlan, FaultState
from devin_pipeline.sandbox.insights import Insights
from devin_pipeline.sandbox.metrics_options import MetricsOptions
from devin_pipeline.sandbox.pages import TOTALS, ListParams, render_page
from devin_pipeline.sandbox.query import ORDERS
from devin_pipeline.sandbox.vocab import PERMISSIONS, SANDBOX_API_KEY

BOUNDS = ("exclusive", "inclusive")
RecordedRequest = tuple[str, list[tuple[str, str]], dict[str, str]]


class SandboxState:
    """What GET /v3/enterprise/sessions and its sibling endpoints answer from `data`, as of
    `clock`.

    `bounds` says how the *_after / *_before filters compare: "exclusive" (>, <) or
    "inclusive" (>=, <=); the real API does not document it, so clients must cope with both.
    `permissions`: those the key's service user holds (default: all four); an endpoint whose
    permission is missing answers 403.
    Consumption: `consumption_date_mark` is the instant of billing day B an entry's `date`
    marks ("billing_start": B 08:00 UTC, "utc_midnight": B 00:00, "pacific_dst": B 07:00);
    `extra_products` ({name: share of the day's Devin}) adds undocumented product keys;
    `under_report` ({org_id: factor < 1}) scales the `acus_consumed` of that org's session
    items while billing stays the truth.
    `metrics`: the metrics endpoints' undocumented readings (`MetricsOptions`: searches,
    hidden origins, `end_time`, mid-bucket cut, comma-joined lists).
    `order` is the list's order (ORDERS: "created_desc", newest first, "updated_asc", or
    "session_id"), and
    `total` when the optional `total` is sent (TOTALS: "sometimes", "always", "never"); both
    are undocumented upstream too.
    Money: `running_cycle` lists the running billing cycle (whether the API does is
    undocumented); `cycle_limits=False` sends every org's `max_cycle_acu_limit` as null;
    `refused_paths` answer 403 whatever the key holds (an older deployment where cycles need
    ManageBilling, a plan without insights).
    """

    def __init__(
        self,
        data: SandboxData,
        *,
        api_key: str = SANDBOX_API_KEY,
        bounds: str = "exclusive",
        faults: FaultPlan | None = None,
        clock: int | None = None,
        permissions: frozenset[str] = frozenset(PERMISSIONS),
        consumption_date_mark: str = "billing_start",
        extra_products: Mapping[str, float] | None = None,
        under_report: Mapping[str, float] | None = None,
        order: str = "created_desc",
        total: str = "sometimes",
        running_cycle: bool = True,
        cycle_limits: bool = True,
        refused_paths: tuple[str, ...] = (),
        metrics: MetricsOptions | None = None,
    ) -> None:
        if bounds not in BOUNDS:
            raise ValueError(f"bounds must be one of {BOUNDS}")
        if order not in ORDERS:
            raise ValueError(f"order must be one of {ORDERS}")
        if total not in TOTALS:
            raise ValueError(f"total must be one of {TOTALS}")
        self.order = order
        self.total = total
        self.running_cycle = running_cycle
        self.cycle_limits = cycle_limits
        self.refused_paths = frozenset(refused_paths)
        self.metrics_options = metrics or MetricsOptions()
        self.data = data
        self.api_key = api_key
        self.bounds = bounds
        self.clock: int = data.end if clock is None else int(clock)
        self.requests: list[RecordedRequest] = []
        unknown = set(permissions) - set(PERMISSIONS)
        if unknown:
            raise ValueError(f"unknown permissions {sorted(unknown)}; known: {PERMISSIONS}")
        self.permissions = frozenset(permissions)  # what the key's service user may do
        self.consumption_date_mark = consumption_date_mark
        self.extra_products = dict(extra_products or {})
        self.report_options  # noqa: B018 -- refuse bad options now, not at the first request
        self.under_report = _check_under_report(data, under_report or {})
        self._state = FaultState(faults or FaultPlan())

    @property
    def faults(self) -> FaultPlan:
        return self._state.plan

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        """A new plan restarts the fault counters, so "every Nth" counts from now."""
        self._state = FaultState(plan)

    @property
    def report_options(self) -> ReportOptions:
        return ReportOptions(self.consumption_date_mark, self.bounds, self.extra_products)

    @cached_property
    def _session_acus_cents(self) -> np.ndarray | None:
        """`acus_consumed` per version as session items show it, when `under_report` asks."""
        if not self.under_report:
            return None
        factor = np.ones(len(self.data.org_ids))
        for org_id, share in self.under_report.items():
            factor[self.data.org_ids.index(org_id)] = share
        v = self.data.tables.v
        return np.rint(v["acus_cents"] * factor[v["org"]]).astype(np.int64)

    @cached_property
    def insights(self) -> Insights:
        """The insights list over this sandbox's history."""
        return Insights(self.data)

    def advance(self, seconds: int) -> None:
        """Move the clock: versions with updated_at <= clock become visible."""
        self.clock += int(seconds)

    def reset_stats(self) -> None:
        """Forget the request log and restart the fault counters."""
        self.requests.clear()
        self._state = FaultState(self._state.plan)

    def record(self, scope: MutableMapping[str, Any]) -> FaultState:
        """Log an API request as received; returns the fault state that will judge it."""
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        self.requests.append((scope["path"], query, headers))
        return self._state

    def render(self, params: ListParams) -> bytes:
        """One page's body; then, if the plan says so, time moves on before the next page."""
        plan = self._state.plan
        body = render_page(
            self.data,
            params,
            bounds=self.bounds,
            clock=self.clock,
            plan=plan,
            acus_cents=self._session_acus_cents,
            order=self.order,
            total=self.total,
        )
        if plan.move_clock_per_page:
            self.advance(plan.move_clock_per_page)
        return body


def _check_under_report(data: SandboxData, factors: Mapping[str, float]) -> dict[str, float]:
    for org_id, factor in factors.items():
        if org_id not in data.org_ids:
            raise ValueError(f"under_report names {org_id!r}, not an org of the sessions")
        if not 0 <= factor <= 1:
            raise ValueError("under_report factors lie in [0, 1]")
    return dict(factors)
