"""The run-failure sensor logs one line per failed run: job, run id, partition, the error."""

from __future__ import annotations

import logging

import dagster as dg
import pytest

from devin_pipeline.sensors import log_failed_runs
from tests.reliability.conftest import step_error

WRONG_KEY = "cog_wrong_sensor_key_5c1e0b77"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def evaluate_sensor(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Runs the sensor on the run's real RUN_FAILURE event; returns what it logged."""
    run = instance.get_run_by_id(run_id)
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    assert run is not None and len(records.records) == 1
    context = dg.build_run_status_sensor_context(
        sensor_name="log_failed_runs",
        dagster_event=records.records[0].event_log_entry.dagster_event,
        dagster_instance=instance,
        dagster_run=run,
    ).for_run_failure()
    handler = Lines()
    context.log.addHandler(handler)
    log_failed_runs(context)
    return handler.lines


@pytest.mark.parametrize(
    ("first", "last", "partition"),
    [("2024-06-03", None, "2024-06-03"), ("2024-06-02", "2024-06-04", "2024-06-02...2024-06-04")],
)
def test_a_failed_run_logs_one_line_with_job_run_partition_and_error(
    runner, monkeypatch, first, last, partition
):
    monkeypatch.setenv("DEVIN_API_KEY", WRONG_KEY)  # what the daemon's environment would hold
    result = runner.run(first, last, api_key=WRONG_KEY)
    assert not result.success
    lines = evaluate_sensor(runner.instance, result.run_id)
    assert len(lines) == 1
    line = lines[0]
    assert "\n" not in line
    assert f"job={result.job_def.name}" in line and f"run_id={result.run_id}" in line
    assert f"partition={partition}" in line
    assert step_error(result).message.splitlines()[0].split(": ", 1)[1] in line
    assert "error=DevinAPIError: HTTP 401" in line and "DEVIN_API_KEY" in line
    assert WRONG_KEY not in line
