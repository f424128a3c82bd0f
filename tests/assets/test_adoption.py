"""Adoption tables against the sandbox: real HTTP, real DuckDB, real Dagster runs.

Expectations come from the sandbox's own knowledge and from `tests/adoption_reference.py`,
never from the pipeline's tables.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest

from devin_pipeline.sandbox import Sandbox, SandboxData
from devin_pipeline.sandbox.metrics_options import MetricsOptions
from devin_pipeline.settings import Settings
from tests.adoption_reference import active_user_metrics, last_day
from tests.conftest import LiveSandbox, Pipeline

DAY = 86_400
FEBRUARY = ("2024-02-01", "2024-02-29")  # four whole weeks and a whole month
SOURCES = (
    "devin/session_snapshots",
    "devin/organization_versions",
    "devin/member_listings",
    "devin/reported_metrics",
)
DERIVED = (
    "devin/sessions",
    "devin/organizations",
    "devin/users",
    "devin/org_daily_metrics",
    "devin/category_daily_metrics",
    "devin/user_daily_metrics",
    "devin/origin_daily_metrics",
    "devin/active_user_metrics",
    "devin/seat_usage",
    "devin/metrics_crosscheck",
)
REPO = Path(__file__).resolve().parents[2]


def february(seed: int = 7) -> SandboxData:
    return SandboxData.generate(sessions=300, seed=seed, start=date(2024, 2, 1), days=29)


@pytest.fixture(scope="module")
def february_data() -> SandboxData:
    return february()


def served(
    data: SandboxData, duckdb_path: Path, instance: dg.DagsterInstance, **sandbox: object
) -> Iterator[Pipeline]:
    sb = Sandbox(data, **sandbox)  # type: ignore[arg-type]
    with sb.serve() as base_url:
        settings = Settings(partitions_start=date(2024, 1, 1), concurrency=2)
        yield Pipeline(LiveSandbox(sb, base_url), duckdb_path, instance, settings)


def run_all(pipeline: Pipeline, first: str, last: str) -> None:
    """The daily job over the range, then everything automation would run after it."""
    ingest = pipeline.materialize(*SOURCES, first=first, last=last)
    assert ingest.success, [e.message for e in ingest.all_events if e.is_failure]
    assert pipeline.materialize(*DERIVED).success


def epoch(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


@pytest.mark.parametrize("seed", [3, 19])
def test_active_users_equal_an_independent_computation_for_every_period_and_scope(
    seed, duckdb_path, instance
):
    data = february(seed)
    rng = random.Random(seed)
    lo, hi = epoch(FEBRUARY[0]), epoch(FEBRUARY[1]) + DAY
    clocks = [*sorted(rng.randrange(lo + 5 * DAY, hi) for _ in range(2)), hi + 2 * DAY]
    for pipeline in served(data, duckdb_path, instance):
        for clock in clocks:  # each fetch observes the versions current then: a history
            pipeline.live.sandbox.clock = clock
            assert pipeline.materialize("devin/session_snapshots", first=FEBRUARY[0],
                                        last=FEBRUARY[1]).success  # fmt: skip
        assert pipeline.materialize(*DERIVED).success
        rows = pipeline.rows(
            "SELECT period, period_start, scope, scope_id, active_users, creating_users "
            "FROM devin.active_user_metrics"
        )
        org_days = pipeline.rows(
            "SELECT metric_date, org_id, active_users FROM devin.org_daily_metrics "
            "WHERE active_users > 0"
        )
    observed = {
        (v["session_id"], v["updated_at"]): v
        for clock in clocks
        for v in data.visible(clock, lo, hi)
    }
    expected = active_user_metrics(observed.values())
    assert {(p, s, sc, i): (a, c) for p, s, sc, i, a, c in rows} == expected
    assert {"day", "week", "month"} == {r[0] for r in rows} and {"org", "enterprise"} == {
        r[2] for r in rows
    }
    day_rows = {(s, i): a for p, s, sc, i, a, _ in rows if p == "day" and sc == "org" and a}
    assert day_rows == {(d, o): a for d, o, a in org_days}, "day rows = the daily metrics'"


def test_a_week_starts_on_monday_utc_whatever_the_time_zone(pipeline, tmp_path):
    from tests.assets.test_directory import FIRST, LAST

    run_all(pipeline, FIRST, LAST)
    script = f"""
from pathlib import Path
import dagster as dg
from tests.conftest import LiveSandbox, Pipeline
from tests.assets.test_adoption import run_all
live = LiveSandbox(None, {pipeline.live.base_url!r})
path = Path({str(tmp_path / "nz.duckdb")!r})
pipeline = Pipeline(live, path, dg.DagsterInstance.ephemeral())
run_all(pipeline, {FIRST!r}, {LAST!r})
"""
    env = {**os.environ, "TZ": "Pacific/Auckland"}
    subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, check=True, timeout=180)
    auckland = replace(pipeline, duckdb_path=tmp_path / "nz.duckdb")
    sql = "SELECT * EXCLUDE (is_complete) FROM devin.active_user_metrics"
    assert pipeline.rows(sql) == auckland.rows(sql)
    weeks = auckland.rows("SELECT DISTINCT period_start FROM devin.active_user_metrics "
                          "WHERE period = 'week'")  # fmt: skip
    assert weeks and all(start.weekday() == 0 for (start,) in weeks)
    assert pipeline.rows("SELECT * FROM devin.seat_usage") == auckland.rows(
        "SELECT * FROM devin.seat_usage"
    )


@pytest.mark.parametrize("devin_way", [False, True])
def test_crosscheck_is_zero_without_searches_and_hidden_origins_else_what_was_hidden(
    february_data, duckdb_path, instance, devin_way
):
    options = MetricsOptions() if devin_way else MetricsOptions(searches=False, origins="all")
    for pipeline in served(february_data, duckdb_path, instance, metrics=options):
        run_all(pipeline, *FEBRUARY)
        clock = pipeline.live.sandbox.clock
        rows = pipeline.rows(
            "SELECT period, period_start, metric, dimension, difference, known_difference "
            "FROM devin.metrics_crosscheck"
        )
        complete = dict(pipeline.rows(
            "SELECT (period, period_start), is_complete FROM devin.active_user_metrics "
            "WHERE scope = 'enterprise'"
        ))  # fmt: skip
    assert {r[2] for r in rows} == {"dau", "wau", "mau", "sessions_created",
                                    "sessions_created_by_origin"}  # fmt: skip
    metrics = february_data.enterprise.metrics
    for period, start, metric, dimension, difference, known in rows:
        assert complete.get((period, start), True)
        lo, hi = epoch(start.isoformat()), epoch(last_day(period, start).isoformat()) + DAY
        hidden = metrics.hidden(lo, hi, clock, options)
        expected, reason = 0, None
        if metric in ("dau", "wau", "mau") and devin_way:
            expected, reason = -hidden["search_only_users"], "Devin counts searches as activity"
        elif dimension == "cli" and devin_way:
            expected, reason = hidden["hidden_origins"].get("cli", 0), "Devin hides the origin cli"
        elif dimension in ("scheduled", "automation") and devin_way:
            folded = hidden["folded"].get("scheduled", 0)
            expected = folded if dimension == "scheduled" else -folded
            reason = "Devin folds scheduled into automation"
        assert difference == expected, (period, start, metric, dimension)
        assert known == (reason if expected else None)
    assert any(r[4] for r in rows) == devin_way


def test_the_crosscheck_warns_only_past_the_tolerance(february_data, duckdb_path, instance):
    for pipeline in served(february_data, duckdb_path, instance):
        run_all(pipeline, *FEBRUARY)
        [(worst,)] = pipeline.rows("SELECT max(abs(difference)) FROM devin.metrics_crosscheck")
        for tolerance, warns in ((worst, False), (worst - 1, True)):
            pipeline.settings = replace(
                pipeline.settings, crosscheck_tolerance_abs=tolerance, crosscheck_tolerance_ratio=0
            )
            [check] = pipeline.materialize("devin/metrics_crosscheck").get_asset_check_evaluations()
            assert check.passed != warns
            assert check.severity == dg.AssetCheckSeverity.WARN
        preview = check.metadata["preview"].value
        assert "Devin counts searches as activity" in preview
        assert "wau" in preview or "dau" in preview


def test_a_403_on_metrics_fails_only_reported_metrics(february_data, duckdb_path, instance):
    from tests.reliability.conftest import step_error

    permissions = frozenset({"ViewAccountSessions", "ManageOrganizations",
                             "ManageAccountMembership", "ViewAccountConsumption"})  # fmt: skip
    for pipeline in served(february_data, duckdb_path, instance, permissions=permissions):
        result = pipeline.materialize(*SOURCES, first="2024-02-01", last="2024-02-04")
        assert not result.success
        failed = {e.step_key for e in result.get_step_failure_events()}
        assert failed == {"devin__reported_metrics"}
        message = step_error(result).message
        assert "ViewAccountMetrics" in message and "DEVIN_READ_METRICS" in message
        done = {m.asset_key.to_user_string() for m in result.get_asset_materialization_events()}
        assert set(SOURCES) - {"devin/reported_metrics"} <= done
        assert pipeline.materialize(*DERIVED).success, "everything else materializes"
        assert pipeline.rows("SELECT count(*) FROM devin.reported_metrics") == [(0,)]
        assert pipeline.rows("SELECT count(*) FROM devin.active_user_metrics") != [(0,)]
        pipeline.settings = replace(pipeline.settings, metrics_enabled=False)
        assert pipeline.materialize("devin/reported_metrics", first="2024-02-01").success


@pytest.mark.parametrize(
    "options",
    [
        MetricsOptions(end_time="last_second"),
        MetricsOptions(end_time="last_second", cut="clip", comma_lists=True),
    ],
)
def test_reported_metrics_are_the_same_under_every_reading_of_the_buckets(
    february_data, tmp_path, instance, options
):
    read = []
    for name, opts in (("default", MetricsOptions()), ("other", options)):
        for pipeline in served(february_data, tmp_path / f"{name}.duckdb", instance, metrics=opts):
            assert pipeline.materialize("devin/reported_metrics", first="2024-02-01",
                                        last="2024-02-29").success  # fmt: skip
            read.append(pipeline.rows("SELECT * EXCLUDE (fetched_at) FROM devin.reported_metrics"))
    assert read[0] == read[1]
    metrics = {r[2] for r in read[0]}
    assert {"dau", "wau", "mau", "sessions_created_by_origin", "prs_merged"} <= metrics
    assert sum(r[0] == "week" for r in read[0]) == 4 and sum(r[0] == "month" for r in read[0]) == 1


def test_a_day_is_replaced_whole_and_a_failed_run_changes_nothing(
    february_data, duckdb_path, instance
):
    sql = "SELECT * EXCLUDE (fetched_at) FROM devin.reported_metrics"
    for pipeline in served(february_data, duckdb_path, instance):
        result = pipeline.materialize(
            "devin/reported_metrics", first="2024-02-01", last="2024-02-04"
        )
        assert result.success
        paths = [path for path, _, _ in pipeline.live.sandbox.requests]
        assert paths.count("/v3/enterprise/metrics/dau") == 1, "one request for the range"
        assert paths.count("/v3/enterprise/metrics/sessions") == 4, "one per day"
        before = pipeline.rows(sql)
    for pipeline in served(february_data, duckdb_path, instance, metrics=MetricsOptions(
        searches=False)):  # fmt: skip
        assert pipeline.materialize("devin/reported_metrics", first="2024-02-03").success
        after = pipeline.rows(sql)
        pipeline.live.sandbox.permissions = frozenset({"ViewAccountSessions"})
        assert not pipeline.materialize("devin/reported_metrics", first="2024-02-02").success
        assert pipeline.rows(sql) == after, "a failed run leaves the partitions as they were"
    day = date(2024, 2, 3)
    assert [r for r in before if r[1] != day] == [r for r in after if r[1] != day]
    old = {(r[2], r[3]): r[4] for r in before if r[1] == day}
    new = {(r[2], r[3]): r[4] for r in after if r[1] == day}
    assert (
        set(old) == set(new) and new[("searches_created", "")] == 0 < old[("searches_created", "")]
    )
    assert new[("dau", "")] < old[("dau", "")]
    assert sum(r[0] == "week" for r in after) == 1, "Sunday 2024-02-04 brought its week"
