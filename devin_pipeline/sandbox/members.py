"""People of the enterprise: users with direct and/or IdP role assignments, service users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from devin_pipeline.sandbox.generate import Tables

# (name, email local part); names are non-ASCII on purpose.
PEOPLE = (
    ("José Álvarez", "jose.alvarez"),
    ("Zoë Müller", "zoe.mueller"),
    ("王芳", "wang.fang"),
    ("Łukasz Żuk", "lukasz.zuk"),
    ("Siobhán O'Neill", "siobhan.oneill"),
    ("Ngozi Okafor", "ngozi.okafor"),
    ("Priya Raman", "priya.raman"),
    ("François Lefèvre", "francois.lefevre"),
    ("Søren Kierkegaard", "soren.k"),
    ("Ayşe Yılmaz", "ayse.yilmaz"),  # noqa: RUF001
    ("佐藤 健", "ken.sato"),
    ("Ana Luísa Gonçalves", "ana.goncalves"),
    ("Dmitri Ivanov", "dmitri.ivanov"),
    ("Chloé Dubois", "chloe.dubois"),
    ("Kim Min-jun", "minjun.kim"),
    ("Björn Andersson", "bjorn.andersson"),
    ("Fatima Zahra", "fatima.zahra"),
    ("Mateo Rossi", "mateo.rossi"),
    ("Nguyễn Thị Lan", "lan.nguyen"),
    ("Grace Hopper", "grace.hopper"),
)
SERVICE_PURPOSES = (
    "CI bot",
    "Nightly triage",
    "Jira sync",
    "Release automation",
    "Security scanner",
    "Backlog groomer",
    "Incident responder",
    "Docs updater",
)
EMAIL_DOMAIN = "acme.example"


@dataclass(frozen=True)
class Role:
    role_id: str
    role_name: str
    role_type: str  # "enterprise" or "org"


ENTERPRISE_ADMIN = Role("role-enterprise-admin", "Enterprise Admin", "enterprise")
ENTERPRISE_MEMBER = Role("role-enterprise-member", "Enterprise Member", "enterprise")
ORG_ADMIN = Role("role-org-admin", "Org Admin", "org")
ORG_MEMBER = Role("role-org-member", "Org Member", "org")


@dataclass(frozen=True)
class Assignment:
    """A role in an org (org_id None: enterprise-level), directly or through an IdP group."""

    role: Role
    org_id: str | None
    idp_group_name: str | None = None

    def item(self) -> dict[str, Any]:
        role = {
            "role_id": self.role.role_id,
            "role_name": self.role.role_name,
            "role_type": self.role.role_type,
        }
        if self.idp_group_name is None:
            return {"role": role, "org_id": self.org_id}
        return {"idp_group_name": self.idp_group_name, "role": role, "org_id": self.org_id}


@dataclass(frozen=True)
class Person:
    """A user: listed among direct users if `direct`, among IdP users if `idp`, from
    `listed_from` on; with neither, the person left (sessions still name them)."""

    user_id: str
    email: str | None
    name: str | None
    direct: tuple[Assignment, ...]
    idp: tuple[Assignment, ...]
    listed_from: int | None = None

    @property
    def left(self) -> bool:
        return not self.direct and not self.idp

    def listed(self, clock: int) -> bool:
        return self.listed_from is None or self.listed_from <= clock

    def user_item(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "email": self.email,
            "name": self.name,
            "role_assignments": [a.item() for a in self.direct],
        }

    def idp_item(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "email": self.email,
            "name": self.name,
            "idp_role_assignments": [a.item() for a in self.idp],
        }


@dataclass(frozen=True)
class ServiceUser:
    service_user_id: str
    name: str
    expires_at: int | None
    role_assignments: tuple[Assignment, ...]

    def active(self, clock: int) -> bool:
        return self.expires_at is None or self.expires_at > clock

    def item(self) -> dict[str, Any]:
        return {
            "service_user_id": self.service_user_id,
            "name": self.name,
            "expires_at": self.expires_at,
            "role_assignments": [a.item() for a in self.role_assignments],
        }


def orgs_of(tables: Tables, column: str) -> list[list[str]]:
    """Per user (or service user) code, the orgs its sessions' versions were in, sorted."""
    who = tables.s[column][tables.v["sess"]].astype(np.int64)
    org = tables.v["org"].astype(np.int64)
    n_orgs = len(tables.names.orgs)
    pairs = np.unique(who[who >= 0] * n_orgs + org[who >= 0])
    size = len(tables.names.users if column == "user" else tables.names.service_users)
    out: list[list[str]] = [[] for _ in range(size)]
    for code, o in zip((pairs // n_orgs).tolist(), (pairs % n_orgs).tolist(), strict=True):
        out[code].append(tables.names.orgs[o])
    return out
