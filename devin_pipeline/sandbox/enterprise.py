"""`data.enterprise`: organizations, members and billing derived from the session history,
and the sandbox's own answers about them (the truth tests compare the pipeline against)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np

from devin_pipeline.sandbox.billing import ReportOptions, Reports
from devin_pipeline.sandbox.consumption import (
    Ledger,
    billing_date,
    billing_day_number,
    billing_day_of,
)
from devin_pipeline.sandbox.cycles import (
    BudgetPlan,
    Cycles,
    contract_day,
    plan_limits,
    with_limits,
)
from devin_pipeline.sandbox.generate import Tables
from devin_pipeline.sandbox.metrics import Metrics
from devin_pipeline.sandbox.organizations import Organizations, OrgVersion, build_organizations
from devin_pipeline.sandbox.people import Members, build_members
from devin_pipeline.sandbox.query import Index

SCOPES = ("enterprise", "org", "user", "service_user", "session")
NOBODY = -2  # the code of a listed org or person no session names: nothing is billed to it


class Enterprise:
    """Built on first use from separate generators (`[seed, 1]` orgs, `[seed, 2]` members,
    `[seed, 3, day]` non-Devin products), so the sessions stay byte-for-byte what the seed
    gives and cost nothing extra."""

    def __init__(self, tables: Tables, *, index: Index, seed: int, start: int, end: int) -> None:
        self.tables = tables
        self.index = index
        self.seed = seed
        self.start = start
        self.end = end

    @cached_property
    def orgs(self) -> Organizations:
        """The orgs, each carrying the cycle cap of `budget_plan` (or none)."""
        return with_limits(self._drawn_orgs, self.budget_plan.limits)

    @cached_property
    def _drawn_orgs(self) -> Organizations:
        rng = np.random.default_rng([self.seed, 1])
        return build_organizations(self.tables.names, rng, self.start, self.end)

    @cached_property
    def cycles(self) -> Cycles:
        """Monthly billing cycles on a contract day (GET /v3/enterprise/consumption/cycles)."""
        return Cycles(contract_day(self.end), self.start)

    @cached_property
    def budget_plan(self) -> BudgetPlan:
        """Which orgs the caps put at risk in the cycle running at the data's end."""
        codes = {org_id: k for k, org_id in enumerate(self.tables.names.orgs)}
        return plan_limits(self._drawn_orgs, self.ledger, codes, self.cycles, self.end)

    @cached_property
    def members(self) -> Members:
        rng = np.random.default_rng([self.seed, 2])
        return build_members(self.tables, self.orgs, rng, self.start, self.end)

    @cached_property
    def metrics(self) -> Metrics:
        """Devin's own metrics of this history, with a stream of searches (`[seed, 4]`)."""
        return Metrics(self.tables, self.members, seed=self.seed, start=self.start, end=self.end)

    # -- organizations --------------------------------------------------------------------

    def organizations(self, clock: int) -> list[dict[str, Any]]:
        """The items of GET /v3/enterprise/organizations at `clock`, in list order."""
        return [o.item() for o in self.orgs.listed(clock)]

    def organization(self, org_id: str, clock: int) -> dict[str, Any] | None:
        """GET /v3/enterprise/organizations/{org_id} at `clock`; None where that is a 404."""
        found = self.orgs.find(org_id, clock)
        return None if found is None else found.item()

    def organization_versions(self) -> tuple[OrgVersion, ...]:
        """Every version ever, future ones included, sorted by (org_id, updated_at)."""
        return self.orgs.versions

    @property
    def renamed_org_ids(self) -> tuple[str, ...]:
        """Orgs with more than one version (each later version is a rename)."""
        ids = [o.org_id for o in self.orgs.versions]
        return tuple(sorted({i for i in ids if ids.count(i) > 1}))

    @property
    def extra_org_id(self) -> str:
        """The listed org that no session names."""
        return self.orgs.extra_org_id

    def deleted_at(self, org_id: str) -> int:
        """When a deleted org stopped being listed (it was listed before)."""
        return self.orgs.deleted_at[org_id]

    @property
    def deleted_org_ids(self) -> tuple[str, ...]:
        names = self.tables.names
        return tuple(o for o, gone in zip(names.orgs, names.org_deleted, strict=True) if gone)

    # -- members --------------------------------------------------------------------------

    def users(self, clock: int, email: str | None = None) -> list[dict[str, Any]]:
        """Items of GET /v3/enterprise/members/users (direct role assignments), by user_id."""
        people = self.members.direct(clock)
        return [p.user_item() for p in people if email is None or p.email == email]

    def idp_users(self, clock: int, email: str | None = None) -> list[dict[str, Any]]:
        """Items of GET /v3/enterprise/members/idp-users, by user_id."""
        people = self.members.idp(clock)
        return [p.idp_item() for p in people if email is None or p.email == email]

    def service_users(self, clock: int, include_inactive: bool = False) -> list[dict[str, Any]]:
        """Items of GET /v3/enterprise/members/service-users, by service_user_id."""
        return [s.item() for s in self.members.services(clock, include_inactive)]

    @property
    def left_user_ids(self) -> tuple[str, ...]:
        """Users sessions name who are in neither list."""
        return tuple(p.user_id for p in self.members.people if p.left)

    @property
    def sessionless_ids(self) -> tuple[str, ...]:
        """Listed people and service users who never ran a session."""
        named = set(self.tables.names.users) | set(self.tables.names.service_users)
        everyone = [p.user_id for p in self.members.people]
        everyone += [s.service_user_id for s in self.members.service_users]
        return tuple(i for i in everyone if i not in named)

    # -- consumption ----------------------------------------------------------------------

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.tables)

    @cached_property
    def reports(self) -> Reports:
        return Reports(self.ledger, seed=self.seed, start=self.start)

    def scope_code(self, scope: str, scope_id: str, clock: int) -> int | None:
        """The code billing knows `scope_id` by; None where the endpoint answers 404."""
        names = self.tables.names
        if scope == "enterprise":
            return 0
        if scope == "session":
            s = self.index.session_index(scope_id)
            return s if s is not None and self.tables.s["created"][s] <= clock else None
        known = {"org": names.orgs, "user": names.users, "service_user": names.service_users}
        if scope not in known:
            raise ValueError(f"scope must be one of {SCOPES}")
        if scope_id in known[scope]:
            return known[scope].index(scope_id)
        return NOBODY if scope_id in self._listed_ids(scope) else None

    def _listed_ids(self, scope: str) -> set[str]:
        if scope == "org":
            return {o.org_id for o in self._drawn_orgs.versions}
        if scope == "user":
            return {p.user_id for p in self.members.people}
        return {s.service_user_id for s in self.members.service_users}

    def consumption(
        self,
        scope: str,
        scope_id: str,
        clock: int,
        options: ReportOptions | None = None,
        time_after: int | None = None,
        time_before: int | None = None,
    ) -> dict[str, Any] | None:
        """The body of GET .../consumption/daily[/{scope}s/{id}] at `clock`; None for a 404."""
        code = self.scope_code(scope, scope_id, clock)
        if code is None:
            return None
        opts = options or ReportOptions()
        return self.reports.body(scope, code, clock, opts, (time_after, time_before))

    def billed(
        self,
        scope: str,
        scope_id: str,
        billing_day: date,
        clock: int,
        *,
        extra_products: Mapping[str, float] | None = None,
    ) -> dict[str, float]:
        """Product -> ACUs the endpoint reports for one billing day at `clock` (late days
        short); every product 0.0 for a day before the data or after the clock."""
        code = self.scope_code(scope, scope_id, clock)
        if code is None:
            raise KeyError(f"{scope} {scope_id!r} is a 404 at {clock}")
        cents = self.reports.reported(scope, code, clock, extra_products or {})
        k = billing_day_number(billing_day) - self.reports.first_day
        inside = 0 <= k < next(iter(cents.values())).size
        return {p: int(c[k]) / 100 if inside else 0.0 for p, c in cents.items()}

    def accrued_cents_by_billing_day(self, org_id: str, clock: int) -> dict[date, int]:
        """Exact Devin cents billed to an org per billing day up to `clock` (no late
        shortfall): what a settled day reports, and what its versions' deltas sum to."""
        code = self.scope_code("org", org_id, clock)
        if code is None:
            raise KeyError(f"org {org_id!r} is unknown")
        cents = self.reports.accrued("org", code, clock, {})["devin"]
        days = self.reports.days(clock).tolist()
        return {billing_date(d): int(c) for d, c in zip(days, cents.tolist(), strict=True)}

    def session_cents_by_billing_day(self, org_id: str, clock: int) -> dict[date, int]:
        """Per billing day of `updated_at`, the deltas of the versions visible at `clock` whose
        own org is `org_id`: the session side of the pipeline's reconciliation."""
        code = self.scope_code("org", org_id, clock)
        if code is None:
            raise KeyError(f"org {org_id!r} is unknown")
        v = self.tables.v
        cents = v["acus_cents"].astype(np.int64)
        delta = cents - np.where(v["vno"] > 0, np.roll(cents, 1), 0)
        keep = (v["org"] == code) & (v["upd"] <= clock) & (delta > 0)
        days = billing_day_of(v["upd"][keep])
        out: dict[date, int] = {}
        for d, c in zip(days.tolist(), delta[keep].tolist(), strict=True):
            out[billing_date(d)] = out.get(billing_date(d), 0) + c
        return dict(sorted(out.items()))
