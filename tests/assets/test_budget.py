"""Cycle budgets: real HTTP to the sandbox, real DuckDB, real Dagster runs. Expectations are
computed by hand from the sandbox's own ledger (`data.enterprise`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import dagster as dg
import pytest

from devin_pipeline.sandbox import Sandbox, SandboxData
from devin_pipeline.sandbox.vocab import CYCLES_PATH
from devin_pipeline.settings import Settings
from tests.conftest import START, LiveSandbox, Pipeline
from tests.reliability.conftest import step_error

DAY = 86_400
FIRST_BILLING_DAY = START - timedelta(days=1)
SETTINGS = Settings(partitions_start=FIRST_BILLING_DAY, concurrency=2)
DIRECTORY = ("devin/organization_versions", "devin/organizations", "devin/users")
BUDGET = ("devin/billing_cycles", "devin/org_budget_status")
PRICE = 2.25


def budget_clock(data: SandboxData) -> int:
    """08:00 UTC the day after the data's end: its last billing day has just ended."""
    return data.end + 8 * 3600


def fetched_days(clock: int) -> list[date]:
    last = (datetime.fromtimestamp(clock, UTC) - timedelta(hours=8, days=1)).date()
    return [FIRST_BILLING_DAY + timedelta(days=n) for n in range((last - START).days + 2)]


@pytest.fixture
def serve(sandbox_data, duckdb_path, instance):
    """A pipeline on a sandbox with these options, directory and billed days in place."""

    def start(settings: Settings = SETTINGS, **options: object) -> Iterator[Pipeline]:
        sandbox = Sandbox(sandbox_data, clock=budget_clock(sandbox_data), **options)  # type: ignore[arg-type]
        with sandbox.serve() as base_url:
            pipeline = Pipeline(LiveSandbox(sandbox, base_url), duckdb_path, instance, settings)
            assert pipeline.materialize(*DIRECTORY).success
            days = fetched_days(sandbox.clock)
            consumed = pipeline.materialize(
                "devin/acu_consumption", first=days[0].isoformat(), last=days[-1].isoformat()
            )
            assert consumed.success
            yield pipeline

    return start


def hand_budget(sandbox: Sandbox, price: float | None) -> dict[tuple, dict[str, object]]:
    """org_budget_status computed from the sandbox's ledger and its listed cycles."""
    truth, clock = sandbox.data.enterprise, sandbox.clock
    days = fetched_days(clock)
    limits = {o["org_id"]: o["max_cycle_acu_limit"] for o in truth.organizations(clock)}
    orgs = set(limits)  # no snapshots here: the orgs the pipeline knows are the listed ones
    expected = {}
    for cycle in truth.cycles.listed(clock):
        start = datetime.fromtimestamp(cycle["after"], UTC)
        end = datetime.fromtimestamp(cycle["before"], UTC)
        inside = [d for d in days if start.date() <= d < end.date()]
        if not inside:
            continue
        cycle_days = (end - start).days
        running = end.date() > days[-1] + timedelta(days=1)
        for scope, scope_id in [("enterprise", ""), *(("org", o) for o in sorted(orgs))]:
            billed = sum(sum(truth.billed(scope, scope_id, d, clock).values()) for d in inside)
            forecast = billed / len(inside) * cycle_days if running else billed
            limit = limits.get(scope_id) if scope == "org" else None
            expected[(start, scope, scope_id)] = {
                "acu_limit": limit,
                "billed_acus": billed,
                "billed_days": len(inside),
                "cycle_days": cycle_days,
                "forecast_acus": forecast,
                "limit_share": billed / limit if limit else None,
                "forecast_share": forecast / limit if limit else None,
                "cost": billed * price if price is not None else None,
                "forecast_cost": forecast * price if price is not None else None,
                "is_current": start.date() <= days[-1] < end.date(),
            }
    return expected


COLUMNS = ("acu_limit", "billed_acus", "billed_days", "cycle_days", "forecast_acus",
           "limit_share", "forecast_share", "cost", "forecast_cost", "is_current")  # fmt: skip


def budget_rows(pipeline: Pipeline) -> dict[tuple, dict[str, object]]:
    rows = pipeline.rows(
        f"SELECT cycle_start, scope, scope_id, {', '.join(COLUMNS)} FROM devin.org_budget_status"
    )
    return {tuple(r[:3]): dict(zip(COLUMNS, r[3:], strict=True)) for r in rows}


def assert_same(got: dict[tuple, dict[str, object]], expected: dict[tuple, dict[str, object]]):
    assert set(got) == set(expected)
    for key, values in expected.items():
        for column, value in values.items():
            if isinstance(value, float):
                assert got[key][column] == pytest.approx(value, rel=1e-9, abs=1e-6), (key, column)
            else:
                assert got[key][column] == value, (key, column)


@pytest.mark.parametrize("price", [None, PRICE])
@pytest.mark.parametrize("running_cycle", [True, False])
def test_budget_equals_a_hand_computation_for_a_past_and_the_current_cycle(
    serve, price, running_cycle
):
    settings = replace(SETTINGS, acu_price=price, currency="EUR")
    for pipeline in serve(settings, running_cycle=running_cycle):
        assert pipeline.materialize(*BUDGET).success
        expected = hand_budget(pipeline.live.sandbox, price)
        got = budget_rows(pipeline)
    current = {k[0] for k, v in expected.items() if v["is_current"]}
    past = {k[0] for k, v in expected.items() if not v["is_current"]}
    assert len(current) == 1 and len(past) == 1, "the data spans a past and the current cycle"
    assert_same(got, expected)
    currencies = pipeline.rows("SELECT DISTINCT currency FROM devin.org_budget_status")
    assert currencies == [("EUR",)]


def test_the_check_warns_for_exactly_the_orgs_at_risk_naming_their_forecast(serve):
    for pipeline in serve():
        result = pipeline.materialize(*BUDGET)
        plan = pipeline.live.sandbox.data.enterprise.budget_plan
        expected = hand_budget(pipeline.live.sandbox, None)
    [check] = [e for e in result.get_asset_check_evaluations()
               if e.check_name == "org_budget_within_limits"]  # fmt: skip
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    preview = str(check.metadata["preview"].value).splitlines()[2:]
    named = {line.split("|")[1].strip(): line for line in preview}
    assert set(named) == {plan.crossing, plan.forecast_over}
    assert check.metadata["offending_rows"].value == 2
    for org, line in named.items():
        [values] = [v for (_, s, o), v in expected.items() if o == org and v["is_current"]]
        assert f"{values['forecast_acus']:.2f}".rstrip("0").rstrip(".") in line
    within = [v for (_, _, o), v in expected.items() if o == plan.within and v["is_current"]]
    assert 0 < within[0]["forecast_share"] < 1  # a cap, but not at risk


def test_the_check_passes_when_no_org_has_a_cap(serve):
    for pipeline in serve(cycle_limits=False):
        result = pipeline.materialize(*BUDGET)
    [check] = [e for e in result.get_asset_check_evaluations()
               if e.check_name == "org_budget_within_limits"]  # fmt: skip
    assert check.passed
    capped = "SELECT count(*) FROM devin.org_budget_status WHERE acu_limit IS NOT NULL"
    assert pipeline.rows(capped) == [(0,)]


def test_refused_cycles_fail_only_their_asset_and_the_budget_takes_calendar_months(serve):
    for pipeline in serve(refused_paths=(CYCLES_PATH,)):
        result = pipeline.materialize(*BUDGET)
        assert not result.success
        assert len(result.get_step_failure_events()) == 1  # the budget is skipped, not failed
        message = step_error(result).message
        assert "ViewAccountConsumption" in message and "DEVIN_READ_CYCLES" in message
        assert pipeline.materialize("devin/org_budget_status").success
        starts = pipeline.rows("SELECT DISTINCT cycle_start FROM devin.org_budget_status")
        off = replace(SETTINGS, cycles_enabled=False)
        pipeline.settings = off
        budget = pipeline.materialize(*BUDGET)
    assert [s for (s,) in starts] == [datetime(2024, 5, 1, 8, tzinfo=UTC),
                                      datetime(2024, 6, 1, 8, tzinfo=UTC)]  # fmt: skip
    assert budget.success
    [event] = budget.asset_materializations_for_node("devin__org_budget_status")
    assert "calendar months" in str(event.metadata["cycles_source"].value)


def test_budget_and_outcomes_follow_their_inputs_by_automation(pipeline):
    """org_budget_status follows consumption, organizations and the cycles; outcome_metrics
    follows the insights; the listings themselves make requests and follow the schedule."""
    from devin_pipeline.definitions import build_defs
    from tests.test_automation import requested

    defs = build_defs(replace(pipeline.settings, duckdb_path=str(pipeline.duckdb_path)))
    budget = dg.AssetKey(["devin", "org_budget_status"])
    outcomes = dg.AssetKey(["devin", "outcome_metrics"])
    sources = {dg.AssetKey(["devin", "billing_cycles"]), dg.AssetKey(["devin", "session_insights"])}
    keys, cursor = requested(defs, pipeline.instance)
    assert keys == set()
    assert pipeline.materialize("devin/acu_consumption", first="2024-06-02").success
    keys, cursor = requested(defs, pipeline.instance, cursor)
    assert budget in keys and not keys & sources
    assert pipeline.materialize("devin/org_budget_status").success
    keys, cursor = requested(defs, pipeline.instance, cursor)
    assert budget not in keys
    assert pipeline.materialize("devin/billing_cycles").success
    keys, cursor = requested(defs, pipeline.instance, cursor)
    assert budget in keys
    assert pipeline.materialize("devin/session_insights", first="2024-06-02").success
    keys, _ = requested(defs, pipeline.instance, cursor)
    assert outcomes in keys and not keys & sources
