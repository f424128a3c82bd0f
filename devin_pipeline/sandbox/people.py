"""Who is listed where: users split over the direct and IdP lists, some left; service users
expiring; one person and one service user who never ran a session."""

from __future__ import annotations

import numpy as np

from devin_pipeline.sandbox.generate import Tables
from devin_pipeline.sandbox.members import (
    EMAIL_DOMAIN,
    ENTERPRISE_ADMIN,
    ENTERPRISE_MEMBER,
    ORG_ADMIN,
    ORG_MEMBER,
    PEOPLE,
    SERVICE_PURPOSES,
    Assignment,
    Person,
    ServiceUser,
    orgs_of,
)
from devin_pipeline.sandbox.organizations import Organizations

DAY = 86_400
DIRECT, IDP, BOTH = 0, 1, 2
NEVER, FUTURE, EXPIRED = 0, 1, 2


class Members:
    """The members lists at a clock, each ordered by its id (user_id, service_user_id)."""

    def __init__(self, people: tuple[Person, ...], service_users: tuple[ServiceUser, ...]) -> None:
        self.people = tuple(sorted(people, key=lambda p: p.user_id))
        self.service_users = tuple(sorted(service_users, key=lambda s: s.service_user_id))

    def direct(self, clock: int) -> list[Person]:
        return [p for p in self.people if p.direct and p.listed(clock)]

    def idp(self, clock: int) -> list[Person]:
        return [p for p in self.people if p.idp and p.listed(clock)]

    def services(self, clock: int, include_inactive: bool) -> list[ServiceUser]:
        return [s for s in self.service_users if include_inactive or s.active(clock)]

    def person(self, user_id: str) -> Person | None:
        return next((p for p in self.people if p.user_id == user_id), None)

    def service_user(self, service_user_id: str) -> ServiceUser | None:
        return next((s for s in self.service_users if s.service_user_id == service_user_id), None)


def build_members(
    tables: Tables, orgs: Organizations, rng: np.random.Generator, start: int, end: int
) -> Members:
    """Everyone sessions name, plus the extras; all drawn from `rng` in a fixed order."""
    people = _people(tables, orgs, rng)
    services = _service_users(tables, orgs, rng, start, end)
    joined = start + (end - start) // 2
    newcomer, late = (f"user-{rng.bytes(8).hex()}" for _ in range(2))
    extra = orgs.extra_org_id
    people += [
        Person(
            newcomer,
            f"new.hire@{EMAIL_DOMAIN}",
            "Émilie Nouvelle",
            (Assignment(ORG_MEMBER, extra),),
            (),
        ),
        Person(
            late,
            None,
            "Kenji Late",
            (Assignment(ENTERPRISE_ADMIN, None),),
            (Assignment(ORG_MEMBER, extra, _group(orgs, extra)),),
            listed_from=joined,
        ),
    ]
    services.append(
        ServiceUser(
            f"service-user-{rng.bytes(8).hex()}",
            "Onboarding bot",
            end + 90 * DAY,
            (Assignment(ORG_MEMBER, extra),),
        )
    )
    return Members(tuple(people), tuple(services))


def _people(tables: Tables, orgs: Organizations, rng: np.random.Generator) -> list[Person]:
    """Kinds by draw, the first three forced to direct, IdP and both; a few with sessions left."""
    n = len(tables.names.users)
    kinds = rng.choice(3, n, p=(0.45, 0.30, 0.25))
    order = rng.permutation(n)
    kinds[order[:3]] = (DIRECT, IDP, BOTH)
    user_orgs = orgs_of(tables, "user")
    with_sessions = [u for u in order[3:].tolist() if user_orgs[u]]
    left = set(with_sessions[: max(2, n // 12)])
    enterprise = rng.random(n) < 0.15
    admin = rng.random(n) < 0.2
    no_email = rng.random(n) < 0.1
    no_email[order[1]] = True  # the forced IdP-only user: a listed person without email
    label = rng.permutation(n)
    people = []
    for u, user_id in enumerate(tables.names.users):
        name, local = PEOPLE[label[u] % len(PEOPLE)]
        suffix = str(label[u] // len(PEOPLE)) if label[u] >= len(PEOPLE) else ""
        email = None if no_email[u] else f"{local}{suffix}@{EMAIL_DOMAIN}"
        listed = [o for o in user_orgs[u] if orgs.kept(o)]
        direct, idp = _assignments(orgs, listed, int(kinds[u]), bool(enterprise[u]), bool(admin[u]))
        if u in left:
            direct, idp = (), ()
        people.append(Person(user_id, email, name, direct, idp))
    return people


def _assignments(
    orgs: Organizations, org_ids: list[str], kind: int, enterprise: bool, admin: bool
) -> tuple[tuple[Assignment, ...], tuple[Assignment, ...]]:
    """(direct, IdP) assignments: roles in the orgs of the person's sessions, maybe one at the
    enterprise level; a person in both lists is an org admin directly, a member via IdP."""
    role = ORG_ADMIN if admin else ORG_MEMBER
    top = (Assignment(ENTERPRISE_ADMIN, None),) if enterprise else ()
    if not org_ids and not top:
        top = (Assignment(ENTERPRISE_MEMBER, None),)
    if kind == DIRECT:
        return tuple(Assignment(role, o) for o in org_ids) + top, ()
    groups = tuple(Assignment(ORG_MEMBER, o, _group(orgs, o)) for o in org_ids)
    if kind == IDP:
        idp_top = tuple(Assignment(a.role, None, "Devin enterprise") for a in top)
        return (), groups + idp_top
    direct = (Assignment(ORG_ADMIN, org_ids[0]),) if org_ids else ()
    if not groups:
        groups = (Assignment(ENTERPRISE_MEMBER, None, "Devin everyone"),)
    return direct + top, groups


def _group(orgs: Organizations, org_id: str) -> str:
    """An IdP group named after the org's first name (renames do not rename groups)."""
    return f"Devin – {orgs.first_name(org_id)}"  # noqa: RUF001


def _service_users(
    tables: Tables, orgs: Organizations, rng: np.random.Generator, start: int, end: int
) -> list[ServiceUser]:
    """Never expiring, expiring after the data, or expired during it (listed only as
    inactive from then on); each with member roles in the listed orgs of its sessions."""
    n = len(tables.names.service_users)
    kinds = rng.choice(3, n, p=(0.40, 0.35, 0.25))
    kinds[rng.permutation(n)[:3]] = (NEVER, FUTURE, EXPIRED)
    future = end + rng.integers(30, 365, n) * DAY
    expired = start + ((end - start) * rng.uniform(0.2, 0.9, n)).astype(np.int64)
    svc_orgs = orgs_of(tables, "service_user")
    out = []
    for k, sid in enumerate(tables.names.service_users):
        listed = [o for o in svc_orgs[k] if orgs.kept(o)]
        purpose = SERVICE_PURPOSES[k % len(SERVICE_PURPOSES)]
        name = f"{purpose} ({orgs.first_name(listed[0])})" if listed else purpose
        expires = (None, int(future[k]), int(expired[k]))[int(kinds[k])]
        roles = tuple(Assignment(ORG_MEMBER, o) for o in listed)
        out.append(ServiceUser(sid, name, expires, roles))
    return out
