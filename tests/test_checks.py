"""Each asset check passes on good data and fails on data built to break it, run by Dagster."""

from __future__ import annotations

from datetime import date

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from devin_pipeline.assets import metrics
from devin_pipeline.assets.directory import build_directory_assets
from devin_pipeline.assets.metrics import SESSIONS, SNAPSHOTS, daily_metrics, sessions
from devin_pipeline.checks import asset_checks
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import prepare
from tests.snapshot_rows import DAY, T0, insert_versions, version

ORG = dg.AssetKey(["devin", "org_daily_metrics"])
CATEGORY = dg.AssetKey(["devin", "category_daily_metrics"])
ORGANIZATIONS = dg.AssetKey(["devin", "organizations"])
USERS = dg.AssetKey(["devin", "users"])
USER = dg.AssetKey(["devin", "user_daily_metrics"])
ORIGIN = dg.AssetKey(["devin", "origin_daily_metrics"])
DERIVED = dg.AssetSelection.assets(SESSIONS, ORG, CATEGORY, USER, ORIGIN, ORGANIZATIONS, USERS)
# The directory assets with both listings off: built from the snapshots, no request made.
OFFLINE = Settings(organizations_enabled=False, members_enabled=False)
PR = "https://github.com/acme/repo/pull/7"


def good_versions() -> list[dict]:
    """Two sessions over two days: one observed twice, with a category and a merged PR."""
    s1 = {"created_at": T0 + 3600, "category": "bug_fixing"}
    merged = [{"pr_url": PR, "pr_state": "merged"}]
    return [
        version("s1", T0 + 3600, acus_consumed=2.0, **s1),
        version("s1", T0 + DAY + 60, acus_consumed=4.5, pull_requests=merged, **s1),
        version("s2", T0 + 7200, org_id="org-b", user_id=None, acus_consumed=1.25),
    ]


class Warehouse:
    """A DuckDB file with hand-built snapshots, and Dagster runs of the checks against it."""

    def __init__(self, path, instance) -> None:
        self.path = str(path)
        self.instance = instance

    def insert(self, versions: list[dict]) -> None:
        with duckdb.connect(self.path) as conn:
            insert_versions(prepare(conn), versions)

    def execute(self, sql: str) -> None:
        with duckdb.connect(self.path) as conn:
            conn.execute(sql)

    def run(self, selection: dg.AssetSelection) -> dg.ExecuteInProcessResult:
        # The snapshots asset is a stand-in spec: the rows were inserted directly.
        return dg.materialize(
            [
                dg.AssetSpec(SNAPSHOTS),
                sessions,
                daily_metrics,
                *build_directory_assets(OFFLINE),
                *asset_checks,
            ],
            selection=selection,
            instance=self.instance,
            resources={
                "duckdb": DuckDBResource(database=self.path),
                "devin_api": DevinAPIResource(api_key="unused", base_url="http://127.0.0.1:9"),
            },
            raise_on_error=False,
        )


def evaluations(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def preview(evaluation: dg.AssetCheckEvaluation) -> str:
    return str(evaluation.metadata["preview"].value)


@pytest.fixture
def warehouse(duckdb_path, instance) -> Warehouse:
    return Warehouse(duckdb_path, instance)


def test_every_check_passes_on_good_data(warehouse):
    warehouse.insert(good_versions())
    derived = warehouse.run(DERIVED)
    snapshots = warehouse.run(dg.AssetSelection.checks_for_assets(SNAPSHOTS))
    assert derived.success and snapshots.success
    found = evaluations(derived) | evaluations(snapshots)
    assert set(found) == {check.check_key.name for check in asset_checks}
    assert all(e.passed for e in found.values()), {n: e.metadata for n, e in found.items()}


@pytest.mark.parametrize(
    ("bad_version", "check", "named"),
    [
        # A second copy of a stored key.
        (version("s1", T0 + 3600, acus_consumed=2.0), "snapshot_keys_unique", "s1"),
        # 23:59:59 UTC on March 1st, filed under March 2nd.
        (version("s9", T0 + DAY - 1, snapshot_date=date(2025, 3, 2)),
         "snapshot_dates_match_updated_at", "2025-03-02"),
        (version("s9", T0 + 60, org_id=None), "snapshot_required_fields_present", "org_id"),
        (version("s9", T0 + 60, created_at=None), "snapshot_required_fields_present", "created_at"),
        (version("s9", T0 + 60, status=None), "snapshot_required_fields_present", "status"),
        (version("s9", T0 + 60, acus_consumed=None),
         "snapshot_required_fields_present", "acus_consumed"),
    ],
)  # fmt: skip
def test_snapshot_checks_fail_on_bad_rows(warehouse, bad_version, check, named):
    warehouse.insert([*good_versions(), bad_version])
    found = evaluations(warehouse.run(dg.AssetSelection.checks_for_assets(SNAPSHOTS)))
    assert not found[check].passed
    assert found[check].severity == dg.AssetCheckSeverity.ERROR
    assert found[check].metadata["offending_rows"].value == 1
    assert named in preview(found[check])


def test_decreasing_acus_warn_and_name_the_session(warehouse):
    decreasing = [
        version("s3", T0 + 60, acus_consumed=5.0),
        version("s3", T0 + 120, created_at=T0 + 60, acus_consumed=3.0),
    ]
    warehouse.insert([*good_versions(), *decreasing])
    result = warehouse.run(DERIVED)
    warning = evaluations(result)["session_acus_never_decrease"]
    assert result.success, "a warning blocks nothing"
    assert (warning.passed, warning.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert "s3" in preview(warning) and "s1" not in preview(warning)
    assert all(e.passed for n, e in evaluations(result).items() if n != warning.check_name)


@pytest.mark.parametrize(
    ("tamper", "check", "named"),
    [
        ("UPDATE devin.org_daily_metrics SET acus_consumed = acus_consumed + 0.01 "
         "WHERE org_id = 'org-b'", "org_acus_conserved", "org-b"),
        ("DELETE FROM devin.category_daily_metrics WHERE metric_date = DATE '2025-03-02'",
         "category_acus_conserved", "bug_fixing"),
        ("INSERT INTO devin.sessions SELECT * FROM devin.sessions WHERE session_id = 's2'",
         "sessions_are_latest_versions", "s2"),
        ("UPDATE devin.sessions SET updated_at = updated_at - INTERVAL 1 HOUR "
         "WHERE session_id = 's1'", "sessions_are_latest_versions", "s1"),
        ("DELETE FROM devin.sessions WHERE session_id = 's1'",
         "sessions_are_latest_versions", "s1"),
    ],
)  # fmt: skip
def test_derived_table_checks_fail_on_tampered_tables(warehouse, tamper, check, named):
    warehouse.insert(good_versions())
    assert warehouse.run(DERIVED).success
    warehouse.execute(tamper)
    target = next(c for c in asset_checks if c.check_key.name == check)
    found = evaluations(warehouse.run(dg.AssetSelection.checks(target)))[check]
    assert (found.passed, found.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert named in preview(found)


def test_a_blocking_conservation_failure_fails_the_materialization(warehouse, monkeypatch):
    warehouse.insert(good_versions())
    real_rebuild = metrics.refresh_daily_metrics

    def rebuild_then_lose_a_day(conn, *args):
        rows = real_rebuild(conn, *args)
        conn.execute("DELETE FROM devin.org_daily_metrics WHERE metric_date = DATE '2025-03-02'")
        return rows

    monkeypatch.setattr(metrics, "refresh_daily_metrics", rebuild_then_lose_a_day)
    result = warehouse.run(DERIVED)
    found = evaluations(result)
    assert not found["org_acus_conserved"].passed and found["category_acus_conserved"].passed
    assert not result.success
