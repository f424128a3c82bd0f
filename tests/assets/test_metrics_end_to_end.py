"""Metrics from the whole pipeline equal an independent expectation from the sandbox's knowledge.

The expectation is computed in Python (tests/metrics_reference.py) from what the sandbox says
each run could observe (`SandboxData.visible`), never from the pipeline's own tables.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from devin_pipeline.assets.metrics import SNAPSHOTS, daily_metrics, sessions
from devin_pipeline.partitions import day_bounds
from devin_pipeline.sandbox import Sandbox, SandboxData
from tests import metrics_reference
from tests.conftest import DAYS, START, LiveSandbox, SnapshotRunner

DAY_LIST = [START + timedelta(days=n) for n in range(DAYS)]


def observe(data: SandboxData, clock: int, day: date) -> list[dict]:
    start, end = day_bounds(day)
    return data.visible(clock, start, end)


def rebuild_metrics(runner: SnapshotRunner) -> None:
    result = dg.materialize(
        [dg.AssetSpec(SNAPSHOTS), sessions, daily_metrics],
        selection=[sessions.key, *daily_metrics.keys],
        instance=runner.instance,
        resources={"duckdb": DuckDBResource(database=str(runner.duckdb_path))},
    )
    assert result.success


def table(runner: SnapshotRunner, name: str, group: str) -> dict:
    rows = runner.rows(
        f"SELECT metric_date, {group}, sessions_created, sessions_updated, active_users, "
        f"acus_consumed, prs_opened, prs_merged FROM devin.{name}"
    )
    return {
        (r[0], r[1]): dict(zip(metrics_reference.METRIC_NAMES, r[2:], strict=True)) for r in rows
    }


def assert_metrics_match(runner: SnapshotRunner, observed: list[dict]) -> None:
    for name, group, reference in (
        ("org_daily_metrics", "org_id", metrics_reference.org_daily_metrics),
        ("category_daily_metrics", "category", metrics_reference.category_daily_metrics),
        ("user_daily_metrics", "user_id", metrics_reference.user_daily_metrics),
        ("origin_daily_metrics", "origin", metrics_reference.origin_daily_metrics),
    ):
        expected = reference(observed)
        actual = table(runner, name, group)
        assert actual.keys() == expected.keys(), name
        for key, metrics in expected.items():
            for metric, value in metrics.items():
                assert actual[key][metric] == pytest.approx(value, abs=1e-6), (name, key, metric)


def dedupe(versions: list[dict]) -> list[dict]:
    return list({(v["session_id"], v["updated_at"]): v for v in versions}.values())


def test_first_backfill_matches_the_sandbox(snapshot_runner, sandbox_data):
    clock = snapshot_runner.live.sandbox.clock
    assert snapshot_runner.run(DAY_LIST[0].isoformat(), DAY_LIST[-1].isoformat()).success
    rebuild_metrics(snapshot_runner)
    observed = [v for day in DAY_LIST for v in observe(sandbox_data, clock, day)]
    assert_metrics_match(snapshot_runner, observed)
    deleted = set(sandbox_data.deleted_org_ids)
    orgs = {k[1] for k in table(snapshot_runner, "org_daily_metrics", "org_id")}
    assert deleted and deleted <= orgs, "sessions of deleted orgs are counted"
    categories = {k[1] for k in table(snapshot_runner, "category_daily_metrics", "category")}
    assert "uncategorized" in categories


def test_daily_runs_as_the_clock_moves_split_acus_across_days(snapshot_runner, sandbox_data):
    sandbox = snapshot_runner.live.sandbox
    observed: list[dict] = []
    for day in DAY_LIST:
        sandbox.clock = (
            int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()) + 86400 + 900
        )
        first = max(START, day - timedelta(days=1))
        assert snapshot_runner.run(first.isoformat(), day.isoformat()).success
        for d in (first, day):
            observed += observe(sandbox_data, sandbox.clock, d)
    observed = dedupe(observed)
    rebuild_metrics(snapshot_runner)
    assert_metrics_match(snapshot_runner, observed)

    histories = metrics_reference.session_histories(observed)
    split = [
        h
        for h in histories.values()
        if len({metrics_reference.utc_day(v["updated_at"]) for v in h}) > 1
    ]
    assert split, "some sessions were observed on several days"
    assert any(
        h[0]["category"] is None and h[-1]["category"] is not None for h in histories.values()
    ), "a session whose category was set late"
    assert any(len({v["org_id"] for v in h}) > 1 for h in histories.values()), "an org change"

    before = snapshot_runner.rows("SELECT * FROM devin.org_daily_metrics")
    assert snapshot_runner.run(DAY_LIST[-1].isoformat()).success
    rebuild_metrics(snapshot_runner)
    assert snapshot_runner.rows("SELECT * FROM devin.org_daily_metrics") == before, (
        "a re-fetch that adds nothing new changes nothing"
    )


@pytest.mark.parametrize("seed", [11, 23, 42])
def test_acus_are_conserved_on_random_seeds(tmp_path, instance, seed):
    """For every org and category, the daily ACUs sum to the sessions' latest ACUs."""
    rng = random.Random(seed)
    data = SandboxData.generate(sessions=250, seed=seed, start=START, days=4)
    sandbox = Sandbox(data)
    with sandbox.serve() as base_url:
        runner = SnapshotRunner(LiveSandbox(sandbox, base_url), tmp_path / "w.duckdb", instance)
        for _ in range(3):
            sandbox.clock = data.end - 86400 * 3 + rng.randrange(0, 86400 * 5)
            day = START + timedelta(days=rng.randrange(0, 4))
            assert runner.run(day.isoformat(), (START + timedelta(days=3)).isoformat()).success
    rebuild_metrics(runner)
    with duckdb.connect(str(runner.duckdb_path), read_only=True) as conn:
        latest = conn.execute("SELECT sum(acus_consumed) FROM devin.sessions").fetchone()[0]
        for name, group, key in (
            ("org_daily_metrics", "org_id", "org_id"),
            ("category_daily_metrics", "category", "coalesce(category, 'uncategorized')"),
            ("user_daily_metrics", "user_id", "coalesce(user_id, service_user_id, 'unattributed')"),
            ("origin_daily_metrics", "origin", "coalesce(origin, 'unknown')"),
        ):
            per_group = conn.execute(
                f"SELECT {group}, sum(acus_consumed) FROM devin.{name} GROUP BY ALL"
            ).fetchall()
            expected = conn.execute(
                f"SELECT {key}, sum(acus_consumed) FROM devin.sessions GROUP BY ALL"
            ).fetchall()
            assert dict(per_group) == pytest.approx(dict(expected), abs=1e-6)
            assert sum(v for _, v in per_group) == pytest.approx(latest, abs=1e-6)
