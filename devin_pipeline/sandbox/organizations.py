"""The organizations of the enterprise: human names, limits, and renames as new versions."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from devin_pipeline.sandbox.generate import Names

DAY = 86_400
# Non-ASCII on purpose: the pipeline stores and compares names as sent.
ORG_NAMES = (
    "Payments",
    "Zürich Research",
    "Plateforme Données",
    "東京 Mobile",
    "São Paulo Growth",
    "Core Infrastructure",
    "Kraków Platform",
    "Data Science",
    "Customer Success",
    "Security Engineering",
    "Ålesund Labs",
    "Développeurs Montréal",
    "Search & Discovery",
    "Mobile Apps",
    "Internal Tools",
)
RENAMED = ("Payments & Billing", "Zürich AI Research", "Göteborg Cloud", "Growth – EMEA")  # noqa: RUF001
CYCLE_LIMITS = (None, None, 5_000, 10_000, 25_000)
SESSION_LIMITS = (None, None, 50, 100, 250)


@dataclass(frozen=True)
class OrgVersion:
    """One version of an organization item, fields in the documented order."""

    org_id: str
    name: str
    created_at: int
    updated_at: int
    max_cycle_acu_limit: int | None
    max_session_acu_limit: int | None

    def item(self) -> dict[str, Any]:
        return asdict(self)


class Organizations:
    """Every version of every listed org; the listing at a clock shows each org's latest
    version with updated_at <= clock, unless the org was deleted by then (`deleted_at`).
    Order: created_at, then org_id."""

    def __init__(
        self,
        versions: tuple[OrgVersion, ...],
        extra_org_id: str,
        deleted_at: dict[str, int] | None = None,
    ) -> None:
        self.versions = tuple(sorted(versions, key=lambda o: (o.org_id, o.updated_at)))
        self.extra_org_id = extra_org_id
        self.deleted_at = dict(deleted_at or {})
        self._ids = frozenset(o.org_id for o in versions)

    def listed(self, clock: int) -> list[OrgVersion]:
        """The versions current at `clock`, in list order."""
        current: dict[str, OrgVersion] = {}
        for version in self.versions:
            gone = self.deleted_at.get(version.org_id, clock + 1) <= clock
            if version.created_at <= clock and version.updated_at <= clock and not gone:
                current[version.org_id] = version  # sorted by updated_at: the last one wins
        return sorted(current.values(), key=lambda o: (o.created_at, o.org_id))

    def find(self, org_id: str, clock: int) -> OrgVersion | None:
        if org_id not in self._ids:
            return None
        return next((o for o in self.listed(clock) if o.org_id == org_id), None)

    def kept(self, org_id: str) -> bool:
        """Listed and never deleted: the orgs people and service users hold roles in."""
        return org_id in self._ids and org_id not in self.deleted_at

    def first_name(self, org_id: str) -> str | None:
        """The name the org was created with (IdP groups and service users keep it)."""
        return next((o.name for o in self.versions if o.org_id == org_id), None)


def build_organizations(
    names: Names, rng: np.random.Generator, start: int, end: int
) -> Organizations:
    """Versions of the orgs sessions name plus one org with no sessions; two renames inside
    [start, end), one a day after `end`; the deleted orgs are listed until they are deleted."""
    extra = f"org-{rng.bytes(8).hex()}"
    ids = [o for o, gone in zip(names.orgs, names.org_deleted, strict=True) if not gone]
    ids.append(extra)
    labels = rng.permutation(len(ORG_NAMES))[: len(ids)]
    versions = [
        _first_version(rng, org_id, ORG_NAMES[k], start)
        for org_id, k in zip(ids, labels, strict=True)
    ]
    renamed = rng.choice(len(ids) - 1, 3, replace=False)  # the extra org is never renamed
    span = end - start
    at = (
        start + int(span * rng.uniform(0.1, 0.45)),
        start + int(span * rng.uniform(0.55, 0.95)),
        end + DAY,
    )
    for k, (org, when) in enumerate(zip(renamed.tolist(), at, strict=True)):
        old = versions[org]
        versions.append(
            OrgVersion(
                old.org_id,
                RENAMED[k],
                old.created_at,
                when,
                old.max_cycle_acu_limit,
                old.max_session_acu_limit,
            )
        )
    deleted = [o for o, gone in zip(names.orgs, names.org_deleted, strict=True) if gone]
    deleted_at = _deleted_orgs(rng, deleted, versions, start, end)  # appends their versions
    return Organizations(tuple(versions), extra, deleted_at)


def _deleted_orgs(
    rng: np.random.Generator, ids: list[str], versions: list[OrgVersion], start: int, end: int
) -> dict[str, int]:
    """The orgs sessions still name but the listing drops: listed until a deletion instant in
    the data's first half, never after. Drawn last, so the other orgs stay as they were."""
    unused = [n for n in ORG_NAMES if n not in {v.name for v in versions}]
    deleted_at = {}
    for org_id, name in zip(ids, unused, strict=False):
        versions.append(_first_version(rng, org_id, name, start))
        deleted_at[org_id] = start + int((end - start) * rng.uniform(0.2, 0.5))
    return deleted_at


def _first_version(rng: np.random.Generator, org_id: str, name: str, start: int) -> OrgVersion:
    """Created 30 to 700 days before the data starts, last updated before it too."""
    created = start - int(rng.integers(30 * DAY, 700 * DAY))
    return OrgVersion(
        org_id=org_id,
        name=name,
        created_at=created,
        updated_at=created + int(rng.integers(0, 20 * DAY)),
        max_cycle_acu_limit=CYCLE_LIMITS[int(rng.integers(len(CYCLE_LIMITS)))],
        max_session_acu_limit=SESSION_LIMITS[int(rng.integers(len(SESSION_LIMITS)))],
    )
