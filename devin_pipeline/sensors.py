"""Run-failure alerting: one clear line per failed run, the hook to wire to Slack or PagerDuty."""
# No `from __future__ import annotations`: Dagster inspects the sensor's `context` annotation.

import os
from collections.abc import Iterable, Mapping
from typing import Any

from dagster import (
    DefaultSensorStatus,
    RunFailureSensorContext,
    SensorDefinition,
    run_failure_sensor,
)

from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames

MAX_ERROR_CHARS = 300
# Short secrets would redact ordinary words; real keys are far longer.
MIN_SECRET_CHARS = 8


SNAPSHOTS_JOB = "session_snapshots_job"


def build_failure_sensor(names: InstanceNames = DEFAULT_NAMES) -> SensorDefinition:
    """The instance's run-failure sensor (one name per instance, so two can coexist)."""

    def log_failure(context: RunFailureSensorContext) -> None:
        if concerns(context.dagster_run.job_name, context.dagster_run.asset_selection, names):
            _log_failure(context)

    return run_failure_sensor(
        name=names.scoped("log_failed_runs"),
        default_status=DefaultSensorStatus.RUNNING,
        description="Logs one line per failed run (job, run id, partition, error); "
        "replace the body to page a team.",
    )(log_failure)


def concerns(job: str, assets: Iterable[Any] | None, names: InstanceNames) -> bool:
    """Whether a failed run is this instance's, so two instances do not both alert on it:
    its selected assets carry the prefix, or it is this instance's snapshots job, or any
    other job (the UI's asset job selecting everything)."""
    if assets:
        return any(key.path[0] == names.prefix for key in assets)
    return job == names.scoped(SNAPSHOTS_JOB) or not job.endswith(SNAPSHOTS_JOB)


def _log_failure(context: RunFailureSensorContext) -> None:
    """The run's own error is the step's: the run-level event only says which steps failed."""
    run = context.dagster_run
    step_errors = [
        getattr(e.event_specific_data, "error", None) for e in context.get_step_failure_events()
    ]
    run_error = getattr(context.failure_event.event_specific_data, "error", None)
    error = first_error_line([*step_errors, run_error], context.failure_event.message or "")
    context.log.error(failure_line(run.job_name, run.run_id, run.tags, error))


log_failed_runs = build_failure_sensor()


def failure_line(job: str, run_id: str, tags: Mapping[str, str], error: str) -> str:
    """The alert text; any DEVIN_API_KEY value is masked, whatever the error says."""
    line = (
        f"devin_pipeline run failed: job={job} run_id={run_id} "
        f"partition={partition_of(tags)} error={error}"
    )
    secret = os.environ.get("DEVIN_API_KEY", "")
    return line.replace(secret, "***") if len(secret) >= MIN_SECRET_CHARS else line


def partition_of(tags: Mapping[str, str]) -> str:
    """A run's partition, or its partition range `first...last`, or `-`."""
    if "dagster/partition" in tags:
        return tags["dagster/partition"]
    first = tags.get("dagster/asset_partition_range_start")
    last = tags.get("dagster/asset_partition_range_end")
    return f"{first}...{last}" if first and last else "-"


def first_error_line(errors: Iterable[Any], fallback: str) -> str:
    """The first line of the user's exception, under Dagster's wrappers, without its module."""
    for error in errors:
        if error is None:
            continue
        while error.cause is not None and error.message.startswith("dagster."):
            error = error.cause
        return _short(error.message)
    return _short(fallback)


def _short(message: str) -> str:
    head = (message.strip().splitlines() or ["unknown error"])[0]
    name, sep, rest = head.partition(": ")
    if sep and "." in name and " " not in name:  # "pkg.module.Error: text" -> "Error: text"
        head = f"{name.rsplit('.', 1)[1]}: {rest}"
    return head[:MAX_ERROR_CHARS]
