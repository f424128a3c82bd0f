"""`data.enterprise`: organizations, members and billing derived from the session history,
and the sandbox's own answers about them (the truth tests compare the pipeline against)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from devin_pipeline.sandbox.generate import Tables
from devin_pipeline.sandbox.organizations import Organizations, OrgVersion, build_organizations
from devin_pipeline.sandbox.people import Members, build_members


class Enterprise:
    """Built on first use from separate generators (`[seed, 1]` orgs, `[seed, 2]` members), so
    the sessions stay byte-for-byte what the seed gives and cost nothing extra."""

    def __init__(self, tables: Tables, *, seed: int, start: int, end: int) -> None:
        self.tables = tables
        self.seed = seed
        self.start = start
        self.end = end

    @cached_property
    def orgs(self) -> Organizations:
        rng = np.random.default_rng([self.seed, 1])
        return build_organizations(self.tables.names, rng, self.start, self.end)

    @cached_property
    def members(self) -> Members:
        rng = np.random.default_rng([self.seed, 2])
        return build_members(self.tables, self.orgs, rng, self.start, self.end)

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
