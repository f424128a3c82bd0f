"""What the Dagster UI shows, asked of the running webserver through POST /graphql."""

from __future__ import annotations

from typing import Any

import pytest

from devin_pipeline.checks import asset_checks
from tests.ui.conftest import LOCATION, Webserver

pytestmark = pytest.mark.slow

SNAPSHOTS = "devin/session_snapshots"
SESSIONS = "devin/sessions"
ORG = "devin/org_daily_metrics"
CATEGORY = "devin/category_daily_metrics"

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


def test_the_four_assets_are_nodes(nodes):
    assert set(nodes) == {SNAPSHOTS, SESSIONS, ORG, CATEGORY}
    assert nodes[SNAPSHOTS]["isPartitioned"]


@pytest.mark.parametrize(
    ("upstream", "downstream"),
    [(SNAPSHOTS, SESSIONS), (SESSIONS, ORG), (SESSIONS, CATEGORY)],
)
def test_lineage_edges(nodes, upstream, downstream):
    assert upstream in {_key(k) for k in nodes[downstream]["dependencyKeys"]}
    assert downstream in {_key(k) for k in nodes[upstream]["dependedByKeys"]}


def test_snapshots_is_the_only_root(nodes):
    roots = {key for key, node in nodes.items() if not node["dependencyKeys"]}
    assert roots == {SNAPSHOTS}


@pytest.mark.parametrize("key", [SNAPSHOTS, SESSIONS, ORG, CATEGORY])
def test_every_asset_has_a_description_kinds_and_column_schema(nodes, key):
    node = nodes[key]
    assert node["description"] and len(node["description"]) > 40, node["description"]
    assert "duckdb" in node["kinds"]
    assert "dagster/column_schema" in {m["label"] for m in node["metadataEntries"]}


def test_the_asset_checks_of_the_code_are_shown(nodes):
    expected = {(spec.asset_key.to_user_string(), spec.name) for c in asset_checks
                for spec in c.check_specs}  # fmt: skip
    shown = {
        (key, check["name"])
        for key, node in nodes.items()
        for check in node["assetChecksOrError"].get("checks", [])
    }
    assert expected
    assert shown == expected
    assert {key for key, _ in shown} >= {ORG, CATEGORY}


def test_schedules_names_cron_and_default_status(webserver: Webserver):
    selector = {"repositoryLocationName": LOCATION, "repositoryName": "__repository__"}
    data = webserver.graphql(SCHEDULES, {"selector": selector})["schedulesOrError"]
    schedules = {s["name"]: s for s in data["results"]}
    assert set(schedules) == {"daily_session_snapshots", "hourly_in_progress_day"}
    daily, hourly = schedules["daily_session_snapshots"], schedules["hourly_in_progress_day"]
    assert (daily["cronSchedule"], daily["executionTimezone"]) == ("15 0 * * *", "UTC")
    assert (hourly["cronSchedule"], hourly["executionTimezone"]) == ("5 * * * *", "UTC")
    assert daily["defaultStatus"] == "RUNNING"
    assert hourly["defaultStatus"] == "STOPPED"
    # On a fresh instance, the state the UI shows is the default one.
    assert daily["scheduleState"]["status"] == "RUNNING"
    assert hourly["scheduleState"]["status"] == "STOPPED"
    assert all(s["description"] for s in schedules.values())
