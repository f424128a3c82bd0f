"""The doctor's checks as a Dagster job, to launch from the UI where the deployment runs.

No schedule selects it (schedules name their own jobs), and it opens the DuckDB file
read-only: it never waits for, nor takes, the write lock a run needs.
"""

# No `from __future__ import annotations`: Dagster reads the op's `context` annotation.

from dagster import (
    Failure,
    JobDefinition,
    MetadataValue,
    OpExecutionContext,
    Output,
    in_process_executor,
    job,
    op,
)

from devin_pipeline.doctor.report import DoctorReport, render_text
from devin_pipeline.doctor.run import REQUEST_BOUND, run_doctor
from devin_pipeline.instance_names import InstanceNames
from devin_pipeline.settings import Settings

DOCTOR_JOB = "doctor_job"


def build_doctor_job(settings: Settings, names: InstanceNames, key_variable: str) -> JobDefinition:
    """The instance's `doctor_job`: one op running every check with the instance's settings."""

    @op(
        name=names.scoped("doctor"),
        required_resource_keys={names.api_resource},
        description=f"Runs `devin-pipeline doctor` (at most {REQUEST_BOUND} API requests).",
    )
    def doctor(context: OpExecutionContext) -> Output[None]:
        api_key = getattr(context.resources, names.api_resource).api_key
        report = run_doctor(settings, api_key, key_variable=key_variable, schema=names.schema)
        for line in render_text(report).splitlines():
            context.log.info(line)
        metadata = _metadata(report)
        if report.failed:
            failed = ", ".join(c.name for c in report.failed)
            raise Failure(f"doctor: required checks failed: {failed}", metadata=metadata)
        return Output(None, metadata=metadata)

    @job(
        name=names.scoped(DOCTOR_JOB),
        description="Checks the key, each source's permission, the DuckDB file (read-only) and "
        "how the API behaves; launch it from the UI. No schedule runs it.",
        executor_def=in_process_executor,
    )
    def doctor_job() -> None:
        doctor()

    return doctor_job


def _metadata(report: DoctorReport) -> dict[str, MetadataValue]:
    rows = [
        f"| {c.verdict} | {c.name} | {c.detail} | {c.remedy} |".replace("\n", " ")
        for c in report.checks
    ]
    table = "\n".join(["| verdict | check | detail | remedy |", "|---|---|---|---|", *rows])
    return {
        "report": MetadataValue.md(table),
        "requests": MetadataValue.int(report.requests),
        "request_bound": MetadataValue.int(report.bound),
    }
