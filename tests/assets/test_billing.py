"""What Devin billed, reconciled with the sessions: real HTTP to the sandbox, real DuckDB,
real Dagster runs. Expectations come from the sandbox's billing truth (`data.enterprise`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from devin_pipeline.sandbox import FaultPlan, Sandbox, SandboxData
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import prepare
from tests.conftest import START, LiveSandbox, Pipeline
from tests.reliability.conftest import step_error, table_state
from tests.snapshot_rows import insert_versions

REPO = Path(__file__).resolve().parents[2]
DAY = 86_400
# Sessions start at 2024-06-01 00:00 UTC, inside billing day 2024-05-31 (from 08:00 the day before).
FIRST_BILLING_DAY = START - timedelta(days=1)
SETTINGS = Settings(partitions_start=FIRST_BILLING_DAY, concurrency=2)
DIRECTORY = (
    "devin/organization_versions",
    "devin/organizations",
    "devin/member_listings",
    "devin/users",
)


def settled_clock(data: SandboxData) -> int:
    """Every version visible, and every billing day with one ended 48 h before: settled."""
    return int(data.tables.v["upd"].max()) + 3 * DAY


def billing_days(clock: int) -> tuple[str, str]:
    """The first billing day of the data through the last one ended before `clock`."""
    last = (datetime.fromtimestamp(clock, UTC) - timedelta(hours=8, days=1)).date()
    return FIRST_BILLING_DAY.isoformat(), last.isoformat()


def observe_every_version(pipeline: Pipeline, data: SandboxData, clock: int) -> None:
    """The snapshots hold every version up to `clock`, as if each had been fetched in time.

    No schedule observes every version (some live a minute); inserting them is how a test
    sets up the contract's "every session version observed" case.
    """
    versions = [v for v in data.all_versions() if v["updated_at"] <= clock]
    with duckdb.connect(str(pipeline.duckdb_path)) as conn:
        insert_versions(prepare(conn), versions)


@pytest.fixture
def billing(sandbox_data: SandboxData, duckdb_path, instance) -> Iterator[Pipeline]:
    """A pipeline on a sandbox at a settled clock, with every version observed."""
    sandbox = Sandbox(sandbox_data, clock=settled_clock(sandbox_data))
    with sandbox.serve() as base_url:
        pipeline = Pipeline(LiveSandbox(sandbox, base_url), duckdb_path, instance, SETTINGS)
        observe_every_version(pipeline, sandbox_data, sandbox.clock)
        assert pipeline.materialize(*DIRECTORY).success
        yield pipeline


def consume(pipeline: Pipeline) -> dg.ExecuteInJobResult:
    first, last = billing_days(pipeline.live.sandbox.clock)
    return pipeline.materialize("devin/acu_consumption", first=first, last=last)


def reconcile(pipeline: Pipeline) -> dg.ExecuteInJobResult:
    result = pipeline.materialize("devin/sessions", "devin/acu_reconciliation")
    assert result.success
    return result


def reconciliation(pipeline: Pipeline) -> dict[tuple[date, str], tuple[float, float, float]]:
    rows = pipeline.rows(
        "SELECT billing_date, org_id, billed_acus, session_acus, difference "
        "FROM devin.acu_reconciliation"
    )
    return {(d, o): (b, s, diff) for d, o, b, s, diff in rows}


def test_each_orgs_settled_totals_and_daily_differences_match_the_sandboxs_truth(billing):
    assert consume(billing).success
    reconcile(billing)
    truth, clock = billing.live.sandbox.data.enterprise, billing.live.sandbox.clock
    rows = reconciliation(billing)
    orgs = {org for _, org in rows}
    assert len(orgs) >= 5 and set(truth.deleted_org_ids) <= orgs
    for org in orgs:
        billed = truth.accrued_cents_by_billing_day(org, clock)
        reported = truth.session_cents_by_billing_day(org, clock)
        mine = {day: values for (day, o), values in rows.items() if o == org}
        # Over the settled range the two sides agree exactly, both with the truth.
        assert round(sum(b for b, _, _ in mine.values()) * 100) == sum(billed.values())
        assert round(sum(s for _, s, _ in mine.values()) * 100) == sum(reported.values())
        assert sum(billed.values()) == sum(reported.values()), org
        # Day by day, the differences are where spend accrued before the version reporting it.
        for day, (b, _, diff) in mine.items():
            expected = reported.get(day, 0) - billed.get(day, 0)
            assert round(diff * 100) == expected and round(b * 100) == billed.get(day, 0)
    assert any(diff != 0 for _, _, diff in rows.values()), "accrual crosses billing days"


def test_the_materialization_shows_enterprise_totals_by_product(billing):
    assert consume(billing).success
    metadata = reconcile(billing).asset_materializations_for_node("devin__acu_reconciliation")[0]
    values = {k: v.value for k, v in metadata.metadata.items()}
    products = {"billed_all", "billed_devin", "billed_cascade", "billed_terminal", "billed_review"}
    assert products <= set(values)
    others = values["billed_cascade"] + values["billed_terminal"] + values["billed_review"]
    assert values["billed_all"] == pytest.approx(values["billed_devin"] + others, abs=1e-6)
    assert values["session_derived_acus"] == pytest.approx(values["billed_devin"], abs=1e-6)
    share = values["share_billed_outside_sessions"]
    assert share == pytest.approx(others / values["billed_all"], abs=1e-4) and 0.05 < share < 0.2


@pytest.mark.parametrize("mark", ["utc_midnight", "pacific_dst"])
def test_every_reading_of_date_lands_in_the_same_billing_days(billing, tmp_path, mark):
    assert consume(billing).success
    expected = billing.rows("SELECT * EXCLUDE (fetched_at) FROM devin.acu_consumption")
    billing.live.sandbox.consumption_date_mark = mark
    billing.duckdb_path = tmp_path / "other.duckdb"
    observe_every_version(billing, billing.live.sandbox.data, billing.live.sandbox.clock)
    assert billing.materialize(*DIRECTORY).success and consume(billing).success
    got = billing.rows("SELECT * EXCLUDE (fetched_at) FROM devin.acu_consumption")
    assert got == expected and len(got) > 100


def test_inclusive_bounds_and_an_undocumented_product_are_handled(billing):
    billing.live.sandbox.bounds = "inclusive"  # the API may also return the next day
    billing.live.sandbox.extra_products = {"windsurf": 0.01}
    assert consume(billing).success
    first, last = billing_days(billing.live.sandbox.clock)
    days = billing.rows("SELECT DISTINCT billing_date FROM devin.acu_consumption")
    assert days[0][0] == date.fromisoformat(first) and days[-1][0] == date.fromisoformat(last)
    products = billing.rows("SELECT DISTINCT product FROM devin.acu_consumption")
    assert ("windsurf",) in products and ("all",) in products


@pytest.mark.parametrize("ratio", [0.02, 0.2])
def test_the_check_warns_naming_an_org_whose_sessions_under_report(
    sandbox_data, duckdb_path, instance, ratio
):
    victim = sandbox_data.enterprise.organizations(sandbox_data.end)[0]["org_id"]
    sandbox = Sandbox(sandbox_data, clock=settled_clock(sandbox_data), under_report={victim: 0.5})
    settings = replace(SETTINGS, reconciliation_tolerance_ratio=ratio)
    with sandbox.serve() as base_url:
        pipeline = Pipeline(LiveSandbox(sandbox, base_url), duckdb_path, instance, settings)
        # One backfill at the settled clock: each session's latest version, its ACUs all there.
        last = datetime.fromtimestamp(sandbox.clock, UTC).date().isoformat()
        snapshots = pipeline.materialize(
            "devin/session_snapshots", first=START.isoformat(), last=last
        )
        assert snapshots.success
        assert pipeline.materialize(*DIRECTORY).success and consume(pipeline).success
        result = reconcile(pipeline)
    [check] = [e for e in result.get_asset_check_evaluations()
               if e.check_name == "acu_reconciliation_within_tolerance"]  # fmt: skip
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    preview = str(check.metadata["preview"].value).splitlines()
    org, _, billed, session, difference = (c.strip() for c in preview[2].split("|")[1:6])
    assert org == victim and float(session) == pytest.approx(float(billed) / 2, rel=0.01)
    assert float(difference) == pytest.approx(float(session) - float(billed), abs=0.02)
    # Sessions that moved org report all their ACUs to the latest org when observed once:
    # a few percent elsewhere, which the default 2% flags and a 20% tolerance does not.
    flagged = check.metadata["offending_rows"].value
    assert flagged > 1 if ratio == 0.02 else flagged == 1


def test_the_check_passes_when_sessions_report_what_was_billed(billing):
    assert consume(billing).success
    [check] = [e for e in reconcile(billing).get_asset_check_evaluations()
               if e.check_name == "acu_reconciliation_within_tolerance"]  # fmt: skip
    assert check.passed, check.metadata["preview"].value


def test_a_revised_day_is_replaced_and_a_failed_fetch_leaves_it_as_it_was(
    sandbox_data, duckdb_path, instance
):
    day_end = int(datetime(2024, 6, 4, 8, tzinfo=UTC).timestamp())
    sandbox = Sandbox(sandbox_data, clock=day_end + 3600)  # 2024-06-03 ended an hour ago
    with sandbox.serve() as base_url:
        pipeline = Pipeline(LiveSandbox(sandbox, base_url), duckdb_path, instance, SETTINGS)
        observe_every_version(pipeline, sandbox_data, sandbox.clock)
        assert pipeline.materialize(*DIRECTORY).success
        fetch = ("devin/acu_consumption",)
        assert pipeline.materialize(*fetch, first="2024-06-02", last="2024-06-03").success
        sql = (
            "SELECT billing_date, scope, scope_id, acus FROM devin.acu_consumption "
            "WHERE product = 'all'"
        )
        early = {(d, s, i): a for d, s, i, a in pipeline.rows(sql)}
        sandbox.advance(2 * DAY)  # the late usage of 2024-06-03 is reported now
        assert pipeline.materialize(*fetch, first="2024-06-03").success
        later = {(d, s, i): a for d, s, i, a in pipeline.rows(sql)}
        june3 = date(2024, 6, 3)
        assert later[(june3, "enterprise", "")] > early[(june3, "enterprise", "")]
        assert len(later) == len(early)
        assert {k: v for k, v in later.items() if k[0] != june3} == {
            k: v for k, v in early.items() if k[0] != june3
        }, "only the re-read day changed"
        before = table_state(duckdb_path)
        sandbox.advance(DAY)
        sandbox.faults = FaultPlan(paths=("/v3/enterprise/consumption",), error_every=1)
        failed = pipeline.materialize(*fetch, first="2024-06-02", last="2024-06-03",
                                      max_retry_wait=0.5)  # fmt: skip
        assert not failed.success and table_state(duckdb_path) == before


def test_rate_limited_consumption_reads_are_retried_and_read_the_same(billing):
    assert consume(billing).success
    expected = billing.rows("SELECT * EXCLUDE (fetched_at) FROM devin.acu_consumption")
    billing.live.sandbox.faults = FaultPlan(
        paths=("/v3/enterprise/consumption",), rate_limit_every=4, rate_limit_retry_after="0"
    )
    billing.live.sandbox.requests.clear()
    result = consume(billing)
    assert result.success
    limited = billing.live.sandbox.requests
    scopes = {path for path, _, _ in limited}
    assert len(limited) > len(scopes), "some requests were retried after a 429"
    assert billing.rows("SELECT * EXCLUDE (fetched_at) FROM devin.acu_consumption") == expected


def test_a_key_without_the_permission_fails_only_consumption_naming_it(billing):
    before = table_state(billing.duckdb_path)
    billing.live.sandbox.permissions -= {"ViewAccountConsumption"}
    failed = consume(billing)
    assert not failed.success
    message = step_error(failed).message
    assert "ViewAccountConsumption" in message and "DEVIN_READ_CONSUMPTION" in message
    assert table_state(billing.duckdb_path) == before
    assert billing.materialize(*DIRECTORY).success
    assert billing.materialize("devin/sessions", "devin/acu_reconciliation").success


def test_consumption_is_the_same_under_auckland_time(billing, tmp_path):
    assert consume(billing).success
    reconcile(billing)
    first, last = billing_days(billing.live.sandbox.clock)
    script = f"""
from pathlib import Path
import dagster as dg
from tests.assets.test_billing import DIRECTORY, SETTINGS, observe_every_version
from tests.conftest import LiveSandbox, Pipeline
from devin_pipeline.sandbox import SandboxData
from tests.conftest import START, DAYS
data = SandboxData.generate(sessions=600, seed=7, start=START, days=DAYS)
live = LiveSandbox(None, {billing.live.base_url!r})
p = Pipeline(live, Path({str(tmp_path / "nz.duckdb")!r}), dg.DagsterInstance.ephemeral(), SETTINGS)
observe_every_version(p, data, {billing.live.sandbox.clock})
assert p.materialize(*DIRECTORY).success
assert p.materialize("devin/acu_consumption", first={first!r}, last={last!r}).success
assert p.materialize("devin/sessions", "devin/acu_reconciliation").success
"""
    env = {**os.environ, "TZ": "Pacific/Auckland"}
    subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, check=True, timeout=180)
    auckland = replace(billing, duckdb_path=tmp_path / "nz.duckdb")
    for sql in (
        "SELECT * EXCLUDE (fetched_at) FROM devin.acu_consumption",
        "SELECT * FROM devin.acu_reconciliation",
    ):
        assert billing.rows(sql) == auckland.rows(sql) and billing.rows(sql)
