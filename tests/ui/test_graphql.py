"""What the Dagster UI shows, asked of the running webserver through POST /graphql."""

from __future__ import annotations

from typing import Any

import pytest

from devin_pipeline.definitions import defs
from tests.tables import ALL_TABLES
from tests.ui.conftest import LOCATION, Webserver

pytestmark = pytest.mark.slow

SNAPSHOTS = "devin/session_snapshots"
SESSIONS = "devin/sessions"
ORG = "devin/org_daily_metrics"
CATEGORY = "devin/category_daily_metrics"
USER = "devin/user_daily_metrics"
ORIGIN = "devin/origin_daily_metrics"
ORG_VERSIONS = "devin/organization_versions"
ORGANIZATIONS = "devin/organizations"
USERS = "devin/users"
CONSUMPTION = "devin/acu_consumption"
RECONCILIATION = "devin/acu_reconciliation"
MEMBER_LISTINGS = "devin/member_listings"
ACTIVE_USERS = "devin/active_user_metrics"
SEATS = "devin/seat_usage"
REPORTED = "devin/reported_metrics"
CROSSCHECK = "devin/metrics_crosscheck"
DASHBOARD = "devin/usage_dashboard"
ALL = {f"devin/{table}" for table in ALL_TABLES}

ASSET_NODES = """
{
  assetNodes {
    assetKey { path }
    description
    groupName
    kinds
    isPartitioned
    dependencyKeys { path }
    dependedByKeys { path }
    metadataEntries { label }
    assetChecksOrError { ... on AssetChecks { checks { name description } } }
  }
}
"""

SCHEDULES = """
query ($selector: RepositorySelector!) {
  schedulesOrError(repositorySelector: $selector) {
    ... on Schedules {
      results { name cronSchedule executionTimezone description defaultStatus
                scheduleState { status } }
    }
    ... on PythonError { message }
  }
}
"""


@pytest.fixture(scope="module")
def nodes(webserver: Webserver) -> dict[str, dict[str, Any]]:
    return {_key(n["assetKey"]): n for n in webserver.graphql(ASSET_NODES)["assetNodes"]}


def _key(asset_key: dict[str, list[str]]) -> str:
    return "/".join(asset_key["path"])


def test_every_asset_is_a_node(nodes):
    assert set(nodes) == ALL | {DASHBOARD}
    assert nodes[SNAPSHOTS]["isPartitioned"] and nodes[CONSUMPTION]["isPartitioned"]
    assert {nodes[key]["groupName"] for key in ALL} == {
        "ingestion", "metrics", "directory", "billing", "outcomes", "adoption"
    }  # fmt: skip
    assert nodes[REPORTED]["isPartitioned"] and not nodes[USERS]["isPartitioned"]


@pytest.mark.parametrize(
    ("upstream", "downstream"),
    [
        (SNAPSHOTS, SESSIONS), (SESSIONS, ORG), (SESSIONS, CATEGORY), (SESSIONS, USER),
        (SESSIONS, ORIGIN), (ORG_VERSIONS, ORGANIZATIONS), (SNAPSHOTS, ORGANIZATIONS),
        (ORGANIZATIONS, ORG), (USERS, USER), (SNAPSHOTS, USERS), (ORGANIZATIONS, CONSUMPTION),
        (CONSUMPTION, RECONCILIATION), (SNAPSHOTS, RECONCILIATION), (MEMBER_LISTINGS, USERS),
        (SNAPSHOTS, ACTIVE_USERS), (SESSIONS, ACTIVE_USERS), (USERS, SEATS), (SNAPSHOTS, SEATS),
        (REPORTED, CROSSCHECK), (ACTIVE_USERS, CROSSCHECK), (SESSIONS, CROSSCHECK),
        (CONSUMPTION, RECONCILIATION), (SNAPSHOTS, RECONCILIATION),
        (ORG, DASHBOARD), (RECONCILIATION, DASHBOARD), (USERS, DASHBOARD),
    ],
)  # fmt: skip
def test_lineage_edges(nodes, upstream, downstream):
    assert upstream in {_key(k) for k in nodes[downstream]["dependencyKeys"]}
    assert downstream in {_key(k) for k in nodes[upstream]["dependedByKeys"]}


def test_the_roots_are_what_the_daily_job_reads_from_the_api(nodes):
    roots = {key for key, node in nodes.items() if not node["dependencyKeys"]}
    listings = {"devin/billing_cycles", "devin/session_insights"}
    assert roots == {SNAPSHOTS, ORG_VERSIONS, MEMBER_LISTINGS, REPORTED, *listings}


@pytest.mark.parametrize("key", sorted(ALL))
def test_every_asset_has_a_description_kinds_and_column_schema(nodes, key):
    node = nodes[key]
    assert node["description"] and len(node["description"]) > 40, node["description"]
    assert "duckdb" in node["kinds"]
    assert "dagster/column_schema" in {m["label"] for m in node["metadataEntries"]}


def test_the_asset_checks_of_the_code_are_shown(nodes):
    expected = {
        (key.asset_key.to_user_string(), key.name)
        for key in defs.resolve_asset_graph().asset_check_keys
    }
    shown = {
        (key, check["name"])
        for key, node in nodes.items()
        for check in node["assetChecksOrError"].get("checks", [])
    }
    assert expected
    assert shown == expected
    assert {key for key, _ in shown} >= {ORG, CATEGORY, USER, ORIGIN, ORGANIZATIONS, USERS}
    assert (RECONCILIATION, "acu_reconciliation_within_tolerance") in shown
    assert (CROSSCHECK, "metrics_crosscheck_within_tolerance") in shown


def test_schedules_names_cron_and_default_status(webserver: Webserver):
    selector = {"repositoryLocationName": LOCATION, "repositoryName": "__repository__"}
    data = webserver.graphql(SCHEDULES, {"selector": selector})["schedulesOrError"]
    schedules = {s["name"]: s for s in data["results"]}
    assert set(schedules) == {
        "daily_session_snapshots", "hourly_in_progress_day", "daily_acu_consumption"
    }  # fmt: skip
    consumption = schedules["daily_acu_consumption"]
    assert (consumption["cronSchedule"], consumption["defaultStatus"]) == ("30 8 * * *", "RUNNING")
    daily, hourly = schedules["daily_session_snapshots"], schedules["hourly_in_progress_day"]
    assert (daily["cronSchedule"], daily["executionTimezone"]) == ("15 0 * * *", "UTC")
    assert (hourly["cronSchedule"], hourly["executionTimezone"]) == ("5 * * * *", "UTC")
    assert daily["defaultStatus"] == "RUNNING"
    assert hourly["defaultStatus"] == "STOPPED"
    # On a fresh instance, the state the UI shows is the default one.
    assert daily["scheduleState"]["status"] == "RUNNING"
    assert hourly["scheduleState"]["status"] == "STOPPED"
    assert all(s["description"] for s in schedules.values())
