"""Typed models of the organizations, members and consumption endpoints (docs/api.md).

As with sessions, unknown fields are kept and only missing required fields and wrong types are
refused; pages keep the dicts as sent, so `raw` columns hold everything the API said.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, StrictStr, TypeAdapter

from devin_pipeline.resources.models import ItemSchema

Number = StrictInt | StrictFloat


class _Item(BaseModel):
    model_config = ConfigDict(extra="allow")


class Role(_Item):
    """A role; `role_type` is free text (`enterprise`, `org`, ...)."""

    role_id: StrictStr
    role_name: StrictStr | None = None
    role_type: StrictStr | None = None


class RoleAssignment(_Item):
    """A role in an org, or at the enterprise level (`org_id` null)."""

    role: Role
    org_id: StrictStr | None = None


class IdpRoleAssignment(RoleAssignment):
    """A role that comes from an identity-provider group."""

    idp_group_name: StrictStr | None = None


class OrganizationItem(_Item):
    """An item of GET /v3/enterprise/organizations; a rename is a new `updated_at`."""

    org_id: StrictStr
    name: StrictStr | None = None
    created_at: StrictInt | None = None
    updated_at: StrictInt
    max_cycle_acu_limit: Number | None = None
    max_session_acu_limit: Number | None = None


class UserItem(_Item):
    """A person with direct role assignments (GET /v3/enterprise/members/users)."""

    user_id: StrictStr
    email: StrictStr | None = None
    name: StrictStr | None = None
    role_assignments: list[RoleAssignment] = []


class IdpUserItem(_Item):
    """A person whose roles come from IdP groups (GET /v3/enterprise/members/idp-users)."""

    user_id: StrictStr
    email: StrictStr | None = None
    name: StrictStr | None = None
    idp_role_assignments: list[IdpRoleAssignment] = []


class ServiceUserItem(_Item):
    """A service user (GET /v3/enterprise/members/service-users)."""

    service_user_id: StrictStr
    name: StrictStr | None = None
    expires_at: StrictInt | None = None
    role_assignments: list[RoleAssignment] = []


class ConsumptionEntry(_Item):
    """One day of a consumption answer; product keys beyond the documented four are kept."""

    date: StrictInt
    acus: Number
    acus_by_product: dict[str, Number] = {}


class Consumption(_Item):
    """The body of every GET /v3/enterprise/consumption/daily... endpoint (not paged)."""

    total_acus: Number | None = None
    consumption_by_date: list[ConsumptionEntry]


class CycleItem(_Item):
    """A cycle of GET /v3/enterprise/consumption/cycles: [after, before), epoch seconds."""

    after: StrictInt
    before: StrictInt


class InsightItem(_Item):
    """A session's insights: the session's fields (kept as sent), its size, message counts and
    Devin's analysis (null until generated; every sub-key may be missing)."""

    session_id: StrictStr
    created_at: StrictInt
    session_size: StrictStr | None = None
    num_user_messages: StrictInt | None = None
    num_devin_messages: StrictInt | None = None
    analysis: dict[str, Any] | None = None


ORGANIZATION_ITEMS = ItemSchema("organizations", TypeAdapter(list[OrganizationItem]), "org_id")
USER_ITEMS = ItemSchema("users", TypeAdapter(list[UserItem]), "user_id")
IDP_USER_ITEMS = ItemSchema("idp-users", TypeAdapter(list[IdpUserItem]), "user_id")
SERVICE_USER_ITEMS = ItemSchema(
    "service-users", TypeAdapter(list[ServiceUserItem]), "service_user_id"
)
CYCLE_ITEMS = ItemSchema("cycles", TypeAdapter(list[CycleItem]), "after")
INSIGHT_ITEMS = ItemSchema("insights", TypeAdapter(list[InsightItem]), "session_id")
