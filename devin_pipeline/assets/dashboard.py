"""`devin/usage_dashboard`: one self-contained HTML page (and an SVG per chart) that answers
who uses Devin, what it costs and what it delivers, rebuilt whenever the tables it shows change."""

# No `from __future__ import annotations`: Dagster checks the `context` annotation as a type.

from collections.abc import Iterable, Sequence
from pathlib import Path

from dagster import (
    AssetCheckKey,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from devin_pipeline.assets.attributes import asset_attributes
from devin_pipeline.assets.metrics import AUTOMATION
from devin_pipeline.dashboard.freshness import failed_checks
from devin_pipeline.dashboard.sources import TABLE_SOURCES
from devin_pipeline.instance_names import InstanceNames
from devin_pipeline.settings import REPO_ROOT, Settings
from devin_pipeline.warehouse.connection import utc_connection

# Besides the panels' tables: the listings whose freshness the page shows.
SHOWN_TABLES = (*TABLE_SOURCES, "organization_versions", "users")


def dashboard_path(settings: Settings, names: InstanceNames) -> Path:
    """Beside the DuckDB file (a remote database: the project's data/ folder)."""
    local = "://" not in settings.duckdb_path and not settings.duckdb_path.startswith("md:")
    folder = Path(settings.duckdb_path).parent if local else REPO_ROOT / "data"
    return folder / f"{names.prefix}_usage_dashboard.html"


def build_dashboard_asset(
    settings: Settings,
    names: InstanceNames,
    defined: Iterable[AssetKey],
    checks: Sequence[AssetCheckKey],
) -> AssetsDefinition:
    """The dashboard asset, downstream of each shown table that this instance defines; the
    latest evaluations of `checks` give its failed-checks panel."""
    deps = [key for key in defined if key in {names.key(t) for t in SHOWN_TABLES}]
    path = dashboard_path(settings, names)

    @asset(
        **asset_attributes(names, "usage_dashboard", "reporting"),
        deps=deps,
        kinds={"html", "duckdb"},
        automation_condition=AUTOMATION,
        required_resource_keys={names.duckdb_resource},
        metadata={"path": MetadataValue.path(str(path))},
    )
    def usage_dashboard(context: AssetExecutionContext) -> MaterializeResult:
        """One HTML file that opens from disk with no network: KPI cards against the previous
        range, ACUs per org and billed per day, active users, seats, top people, categories
        and origins, outcomes, billing and budgets, data freshness; an SVG per chart beside it.
        Each panel names its range and table, and says why when it is empty."""
        from devin_pipeline.dashboard.build import build_dashboard  # altair: only when run

        failed = failed_checks(context.instance, checks)
        duckdb_resource = getattr(context.resources, names.duckdb_resource)
        with utc_connection(duckdb_resource, names.schema) as conn:
            dashboard = build_dashboard(conn, names.schema, path, settings, failed_checks=failed)
        kpis = {f"kpi_{k.name}": k.value for k in dashboard.kpis if k.value is not None}
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(dashboard.path)),
                "size_bytes": dashboard.size_bytes,
                "charts": len(dashboard.charts),
                "first_day": str(dashboard.window.start),
                "last_day": str(dashboard.window.end),
                **kpis,
                "summary": MetadataValue.md(dashboard.summary()),
            }
        )

    return usage_dashboard
