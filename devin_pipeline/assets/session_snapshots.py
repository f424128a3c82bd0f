"""`devin/session_snapshots`: every observed version of a session, by UTC day of `updated_at`."""
# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from datetime import date, timedelta
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetMaterialization,
    AssetsDefinition,
    DailyPartitionsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_duckdb import DuckDBResource

from devin_pipeline.assets.attributes import asset_attributes, single_run_backfill
from devin_pipeline.assets.snapshot_columns import SNAPSHOT_COLUMNS
from devin_pipeline.ingest.runner import IngestReport, ingest_days
from devin_pipeline.instance_names import DEFAULT_NAMES, InstanceNames
from devin_pipeline.partitions import days_in_range
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import utc_connection
from devin_pipeline.warehouse.snapshot_store import DayCommit, SnapshotStore

DUCKDB_POOL = DEFAULT_NAMES.pool
SNAPSHOTS_DESCRIPTION = """One row per observed version of a Devin session, primary key
(session_id, updated_at). Partition D holds the versions whose updated_at falls on UTC day D.
Re-materializing a partition adds the versions it reads now and replaces rows with the same
key; it never deletes a version observed earlier. A failed run leaves the partition as it was.
Every API field has a typed column; `raw` keeps the item exactly as sent."""


def build_session_snapshots(
    partitions: DailyPartitionsDefinition,
    settings: Settings,
    names: InstanceNames = DEFAULT_NAMES,
) -> AssetsDefinition:
    """The snapshots asset of an instance, for these partitions and ingestion settings."""

    @_snapshots_decorator(partitions, names)
    def session_snapshots(context: AssetExecutionContext) -> MaterializeResult:
        # Resource keys are the instance's, so two instances in a project keep their own.
        devin_api = getattr(context.resources, names.api_resource)
        duckdb = getattr(context.resources, names.duckdb_resource)
        return _materialize(context, devin_api, duckdb, settings, names.schema)

    return session_snapshots


def _snapshots_decorator(partitions: DailyPartitionsDefinition, names: InstanceNames) -> Any:
    return asset(
        **asset_attributes(names, "session_snapshots", "ingestion"),
        description=SNAPSHOTS_DESCRIPTION,
        partitions_def=partitions,
        backfill_policy=single_run_backfill(),
        required_resource_keys={names.api_resource, names.duckdb_resource},
        kinds={"duckdb", "python"},
        metadata={
            "dagster/column_schema": SNAPSHOT_COLUMNS,
            "dagster/table_name": names.table("session_snapshots"),
            "source": "GET /v3/enterprise/sessions",
        },
    )


def _materialize(
    context: AssetExecutionContext,
    devin_api: DevinAPIResource,
    duckdb: DuckDBResource,
    settings: Settings,
    schema: str,
) -> MaterializeResult:
    """Fetches the run's days, commits each, and fails after recording the finished ones."""
    days = _partition_days(context)
    context.log.info(f"Fetching {len(days)} day(s): {days[0]} .. {days[-1]}")
    with utc_connection(duckdb, schema) as conn:
        report = ingest_days(
            devin_api,
            conn,
            days,
            {"include_deleted_orgs": settings.include_deleted_orgs},
            concurrency=settings.concurrency,
            verify=settings.verify_walks,
            on_commit=lambda commit, rep: _log_progress(context, commit, rep, len(days)),
            schema=schema,
        )
        if report.error is not None:
            _record_partial_success(context, report)
            raise report.error
        preview = SnapshotStore(conn, schema).preview(days[-1])
    return MaterializeResult(metadata=_run_metadata(report, devin_api, preview))


def _partition_days(context: AssetExecutionContext) -> list[date]:
    window = context.partition_time_window
    return days_in_range(window.start.date(), (window.end - timedelta(days=1)).date())


def _log_progress(
    context: AssetExecutionContext, commit: DayCommit, report: IngestReport, total: int
) -> None:
    context.log.info(
        f"Committed {commit.day}: {commit.rows} versions ({commit.new_versions} new, "
        f"{commit.replaced_versions} replaced); {len(report.commits)}/{total} days done, "
        f"{report.rows} versions so far"
    )


def _record_partial_success(context: AssetExecutionContext, report: IngestReport) -> None:
    """Marks the days committed before the failure as materialized, so a re-run skips them."""
    context.log.error(f"Day {report.failed_day} failed: {report.error}")
    for commit in report.commits:
        context.log_event(
            AssetMaterialization(
                asset_key=context.asset_key,
                partition=commit.day.isoformat(),
                metadata={"dagster/row_count": commit.rows, "committed_before_failure": True},
            )
        )


def _run_metadata(
    report: IngestReport, api: DevinAPIResource, preview: list[tuple[Any, ...]]
) -> dict[str, Any]:
    rows = report.rows
    return {
        "dagster/row_count": rows,
        "new_versions": sum(c.new_versions for c in report.commits),
        "replaced_versions": sum(c.replaced_versions for c in report.commits),
        "days": len(report.commits),
        "pages": sum(w.pages for w in report.walks),
        "walks": sum(w.walks for w in report.walks),
        "order_free_fallbacks": sum(w.fallbacks for w in report.walks),
        "retries": api.budget.retries,
        "retry_wait_seconds": round(api.budget.waited, 3),
        "seconds": round(report.seconds, 3),
        "versions_per_second": round(rows / report.seconds, 1) if report.seconds else 0.0,
        "preview": MetadataValue.md(_preview_markdown(preview)),
    }


def _preview_markdown(rows: list[tuple[Any, ...]]) -> str:
    header = "| session_id | org_id | category | status | acus_consumed | updated_at |\n"
    header += "|---|---|---|---|---|---|\n"
    return header + "\n".join("| " + " | ".join(str(v) for v in row) + " |" for row in rows)
