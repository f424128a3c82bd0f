"""The API paths the pipeline reads, each with the permission it needs and its on/off setting.

Errors name both, so a key that lacks a permission tells the operator what to grant, or which
setting stops the pipeline from asking.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    """One GET path of the v3 enterprise API (`{id}` stands for a path parameter)."""

    path: str
    permission: str
    # The setting that switches this source off (its variable, and its component attribute);
    # None for sessions, which everything needs.
    switch: str | None = None
    attribute: str | None = None

    def url_path(self, item_id: str | None = None) -> str:
        return self.path if item_id is None else self.path.replace("{id}", item_id)

    def permission_advice(self) -> str:
        """What to do about a 403: grant the permission, or switch the source off."""
        advice = (
            f"Check DEVIN_API_KEY: its service user needs the {self.permission} permission "
            "at the enterprise level"
        )
        if self.switch:
            advice += (
                f", or set {self.switch}=false (component attribute {self.attribute}: false) "
                "to stop reading this source"
            )
        return advice + "."


SESSIONS = Endpoint("/v3/enterprise/sessions", "ViewAccountSessions")
ORGANIZATIONS = Endpoint(
    "/v3/enterprise/organizations",
    "ManageOrganizations",
    "DEVIN_READ_ORGANIZATIONS",
    "organizations_enabled",
)
_MEMBERS = ("ManageAccountMembership", "DEVIN_READ_MEMBERS", "members_enabled")
USERS = Endpoint("/v3/enterprise/members/users", *_MEMBERS)
IDP_USERS = Endpoint("/v3/enterprise/members/idp-users", *_MEMBERS)
SERVICE_USERS = Endpoint("/v3/enterprise/members/service-users", *_MEMBERS)
_CONSUMPTION = ("ViewAccountConsumption", "DEVIN_READ_CONSUMPTION", "consumption_enabled")
ENTERPRISE_CONSUMPTION = Endpoint("/v3/enterprise/consumption/daily", *_CONSUMPTION)
ORG_CONSUMPTION = Endpoint("/v3/enterprise/consumption/daily/organizations/{id}", *_CONSUMPTION)
USER_CONSUMPTION = Endpoint(
    "/v3/enterprise/consumption/daily/users/{id}",
    "ViewAccountConsumption",
    "DEVIN_READ_USER_CONSUMPTION",
    "user_consumption_enabled",
)
# Newer API pages name ViewAccountConsumption for the cycles, older ones ManageBilling.
CYCLES = Endpoint(
    "/v3/enterprise/consumption/cycles",
    "ViewAccountConsumption (ManageBilling on older deployments)",
    "DEVIN_READ_CYCLES",
    "cycles_enabled",
)
INSIGHTS = Endpoint(
    "/v3/enterprise/sessions/insights",
    "ViewAccountSessions",
    "DEVIN_READ_INSIGHTS",
    "insights_enabled",
)
_METRICS = ("ViewAccountMetrics", "DEVIN_READ_METRICS", "metrics_enabled")
METRICS_DAU = Endpoint("/v3/enterprise/metrics/dau", *_METRICS)
METRICS_WAU = Endpoint("/v3/enterprise/metrics/wau", *_METRICS)
METRICS_MAU = Endpoint("/v3/enterprise/metrics/mau", *_METRICS)
METRICS_SESSIONS = Endpoint("/v3/enterprise/metrics/sessions", *_METRICS)
METRICS_PRS = Endpoint("/v3/enterprise/metrics/prs", *_METRICS)
METRICS_SEARCHES = Endpoint("/v3/enterprise/metrics/searches", *_METRICS)
METRICS_USAGE = Endpoint("/v3/enterprise/metrics/usage", *_METRICS)
