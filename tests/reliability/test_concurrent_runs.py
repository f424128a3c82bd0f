"""Several `dagster asset materialize` at once on one DAGSTER_HOME and one DuckDB file.

The runs use the project's dagster.yaml: pool `duckdb_writer` (limit 1, op granularity) queues
their snapshot steps. They start while the test holds the slot, so every claim queues: a claim
race on an idle pool is covered by the DuckDB lock wait (tests/warehouse/test_resource.py).
Three runs failing at the same time (tests/reliability/conftest.py::cli_runs) write nothing.
"""

from __future__ import annotations

from itertools import pairwise

import dagster as dg

from tests.reliability.conftest import CLI_PARTITIONS, RUN_STAMPS, table_state

STEP = "devin__session_snapshots"


def blocked_runs(instance: dg.DagsterInstance) -> int:
    """Runs whose snapshot step logged that it waited for the pool."""
    return sum(
        any(
            (entry.user_message or "").startswith("Step blocked by limit for pool duckdb_writer")
            for entry in instance.all_logs(run.run_id)
        )
        for run in instance.get_runs()
    )


def step_intervals(instance: dg.DagsterInstance) -> list[tuple[float, float]]:
    """(start, end) of each run's snapshot step (ended by success or failure), from the
    instance's event log."""
    intervals = []
    for run in instance.get_runs():
        times = {
            entry.dagster_event.event_type_value: entry.timestamp
            for entry in instance.all_logs(run.run_id)
            if entry.dagster_event and entry.dagster_event.step_key == STEP
        }
        if "STEP_START" in times:
            end = times.get("STEP_SUCCESS", times.get("STEP_FAILURE"))
            intervals.append((times["STEP_START"], end))
    return sorted(intervals)


def test_three_runs_at_once_all_succeed_one_writer_at_a_time(cli_runs, monkeypatch):
    for partition in CLI_PARTITIONS:
        assert cli_runs.runs[partition].returncode == 0, cli_runs.runs[partition].stderr[-3000:]
    monkeypatch.setenv("DAGSTER_HOME", str(cli_runs.home))
    with dg.DagsterInstance.from_config(str(cli_runs.home)) as instance:
        intervals = step_intervals(instance)
        blocked = blocked_runs(instance)
    assert blocked == len(CLI_PARTITIONS) + 1, "each writing step queued for the pool"
    assert len(intervals) == len(CLI_PARTITIONS) + 1, "and the wrong-key run's failed step"
    for (_, end), (start, _) in pairwise(intervals):
        assert end <= start, "the pool let two snapshot steps write at once"


def test_runs_at_once_leave_the_tables_sequential_runs_leave(cli_runs, runner):
    for partition in CLI_PARTITIONS:
        assert runner.run(partition).success
    concurrent = table_state(cli_runs.warehouse, exclude=RUN_STAMPS)
    sequential = table_state(runner.duckdb_path, exclude=RUN_STAMPS)
    assert concurrent == sequential
    assert len(concurrent["devin.session_snapshots"]) > 150
