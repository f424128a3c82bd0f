"""The sandbox's fixed vocabularies: enum values (documented and not) and text pieces."""

from __future__ import annotations

from enum import StrEnum

SESSIONS_PATH = "/v3/enterprise/sessions"
ORGANIZATIONS_PATH = "/v3/enterprise/organizations"
USERS_PATH = "/v3/enterprise/members/users"
IDP_USERS_PATH = "/v3/enterprise/members/idp-users"
SERVICE_USERS_PATH = "/v3/enterprise/members/service-users"
CONSUMPTION_PATH = "/v3/enterprise/consumption/daily"
CYCLES_PATH = "/v3/enterprise/consumption/cycles"
INSIGHTS_PATH = "/v3/enterprise/sessions/insights"  # below SESSIONS_PATH: served, faulted
METRICS_PATH = "/v3/enterprise/metrics"
# The endpoints the sandbox serves: these paths, or a path below them (`.../{id}`).
API_PATHS = (
    SESSIONS_PATH,
    ORGANIZATIONS_PATH,
    USERS_PATH,
    IDP_USERS_PATH,
    SERVICE_USERS_PATH,
    CONSUMPTION_PATH,
    CYCLES_PATH,
    METRICS_PATH,
)

# Enterprise-level permissions of a service-user key, one per family of endpoints.
VIEW_SESSIONS = "ViewAccountSessions"
MANAGE_ORGANIZATIONS = "ManageOrganizations"
MANAGE_MEMBERSHIP = "ManageAccountMembership"
VIEW_CONSUMPTION = "ViewAccountConsumption"
VIEW_METRICS = "ViewAccountMetrics"
PERMISSIONS = (
    VIEW_SESSIONS,
    MANAGE_ORGANIZATIONS,
    MANAGE_MEMBERSHIP,
    VIEW_CONSUMPTION,
    VIEW_METRICS,
)


def served_path(path: str) -> bool:
    """Whether `path` is one of the API's endpoints (logged and faulted by the sandbox)."""
    return any(path == p or path.startswith(p + "/") for p in API_PATHS)


class Origin(StrEnum):
    """Documented `origins` filter values; the query parameter refuses anything else."""

    WEBAPP = "webapp"
    SLACK = "slack"
    TEAMS = "teams"
    API = "api"
    LINEAR = "linear"
    JIRA = "jira"
    SCHEDULED = "scheduled"
    AUTOMATION = "automation"
    CLI = "cli"
    DESKTOP = "desktop"
    OTHER = "other"


class Category(StrEnum):
    """Documented `category` values, for the filter and the items alike."""

    BUG_FIXING = "bug_fixing"
    CI_CD_AND_DEVOPS = "ci_cd_and_devops"
    CODE_QUALITY_AND_SECURITY = "code_quality_and_security"
    CODE_REVIEW_AND_ANALYSIS = "code_review_and_analysis"
    DATA_AND_AUTOMATION = "data_and_automation"
    DOCUMENTATION_AND_CONTENT = "documentation_and_content"
    FEATURE_DEVELOPMENT = "feature_development"
    MIGRATIONS_AND_UPGRADES = "migrations_and_upgrades"
    OTHER = "other"
    REFACTORING_AND_OPTIMIZATION = "refactoring_and_optimization"
    RESEARCH_AND_EXPLORATION = "research_and_exploration"
    UNIT_TEST_GENERATION = "unit_test_generation"


DOCUMENTED_ORIGINS = tuple(o.value for o in Origin)
# Items may still carry `code_scan` (seen live, not documented): index 11.
ORIGINS = (*DOCUMENTED_ORIGINS, "code_scan")
ORIGIN_WEIGHTS = (0.30, 0.15, 0.03, 0.12, 0.05, 0.05, 0.07, 0.08, 0.06, 0.04, 0.03, 0.02)
# Sessions started by these origins belong to a service user, not a user.
SERVICE_ORIGINS = ("api", "scheduled", "automation", "code_scan")

DOCUMENTED_CATEGORIES = tuple(c.value for c in Category)
# Items of a few sessions carry a category the docs do not list: last code. The filter
# refuses it, as it refuses any undocumented value.
UNDOCUMENTED_CATEGORY = "incident_response"
CATEGORIES = (*DOCUMENTED_CATEGORIES, UNDOCUMENTED_CATEGORY)
SUBCATEGORIES = ("api", "ui", "database", "build", "tests", "infra", "docs", "performance")

# `blocked` is not documented (Devin's v1 API had it): some versions still carry it, last code.
STATUSES = ("new", "claimed", "running", "exit", "error", "suspended", "resuming", "blocked")
RUNNING_DETAILS = ("working", "waiting_for_user", "waiting_for_approval", "finished")
# The last two are undocumented but seen live (docs/api.md).
SUSPENDED_DETAILS = (
    "inactivity",
    "user_request",
    "usage_limit_exceeded",
    "out_of_credits",
    "out_of_quota",
    "no_quota_allocation",
    "payment_declined",
    "org_usage_limit_exceeded",
    "total_session_limit_exceeded",
    "error",
    "user_usage_limit_exceeded",
    "contract_expired",
)
SUSPENDED_WEIGHTS = (0.55, 0.15, 0.05, 0.04, 0.04, 0.03, 0.02, 0.04, 0.02, 0.03, 0.02, 0.01)
# status_detail codes: running details first, then suspended ones.
DETAILS = RUNNING_DETAILS + SUSPENDED_DETAILS

TAGS = (
    "backend",
    "frontend",
    "infra",
    "urgent",
    "customer",
    "experiment",
    "migration",
    "security",
    "docs",
    "flaky-test",
    "reviewed",  # only ever added in a later version
)
LATE_TAG_BIT = 1 << (len(TAGS) - 1)

TITLE_VERBS = (
    "Fix",
    "Add",
    "Refactor",
    "Investigate",
    "Upgrade",
    "Document",
    "Speed up",
    "Test",
    "Remove",
    "Migrate",
)
TITLE_OBJECTS = (
    "login flow",
    "billing webhook",
    "CI pipeline",
    "flaky integration tests",
    "search indexer",
    "user settings page",
    "rate limiter",
    "Postgres schema",
    "React 19 upgrade",
    "on-call runbook",
    "export to CSV",
    "memory leak in worker",
)
REPO_COUNT = 40

PR_STATES = ("open", "merged", "closed")

# The sandbox's key, and a valid key whose service user has no permission at all (every
# endpoint is a 403).
SANDBOX_API_KEY = "cog_sandbox_0123456789abcdef"
SANDBOX_NO_PERMISSION_KEY = "cog_sandbox_noperm_00000000"
