"""`devin-pipeline demo`: the last 14 days end to end, on the embedded sandbox, through Dagster."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta

import dagster as dg
from rich.console import Console

from devin_pipeline.assets.dashboard import dashboard_path
from devin_pipeline.instance_names import DEFAULT_NAMES
from devin_pipeline.progress import PROGRESS_LOGGER, progress_logger, progress_run_config
from devin_pipeline.report import (
    narrowed,
    print_adoption,
    read_billing,
    read_budget,
    read_outcomes,
    read_reports,
    read_top_users,
    render_tables,
)
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox, SandboxData
from devin_pipeline.schedules import range_tags
from devin_pipeline.settings import REPO_ROOT, load_settings

DEMO_DAYS = 14
DEMO_SESSIONS = 4000
# What the daily schedule runs, then what automation would run after it.
INGESTION = [
    "devin/session_snapshots",
    "devin/organization_versions",
    "devin/member_listings",
    "devin/session_insights",
    "devin/billing_cycles",
]
DASHBOARD = "devin/usage_dashboard"
DERIVED = [
    "devin/sessions",
    "devin/organizations",
    "devin/users",
    "devin/org_daily_metrics",
    "devin/category_daily_metrics",
    "devin/user_daily_metrics",
    "devin/origin_daily_metrics",
    "devin/outcome_metrics",
]
BUDGET_COLUMNS = ("org_id", "org_name", "acu_limit", "billed_acus", "forecast_acus",
                  "limit_share", "forecast_share", "cost", "forecast_cost")  # fmt: skip
OUTCOME_COLUMNS = ("month", "dimension_value", "org_name", "sessions_created", "prs_merged",
                   "merge_rate", "acus", "acus_per_merged_pr", "cost_per_merged_pr")  # fmt: skip
# Devin's published pay-as-you-go price per ACU: the demo's money columns need some price.
DEMO_ACU_PRICE = "2.25"
# Adoption: Devin's own metrics for the range, then what follows the snapshots.
METRICS_SOURCE = ["devin/reported_metrics"]
ADOPTION = ["devin/active_user_metrics", "devin/seat_usage", "devin/metrics_crosscheck"]


def run_demo(console: Console, sessions: int = DEMO_SESSIONS, days: int = DEMO_DAYS) -> int:
    """Serves a sandbox, materializes snapshots then metrics, prints tables; 0 on success."""
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / "dagster_home"))
    if not os.environ.get("DEVIN_ACU_PRICE"):
        os.environ["DEVIN_ACU_PRICE"] = DEMO_ACU_PRICE
        console.print(f"DEVIN_ACU_PRICE is unset: the demo prices an ACU at {DEMO_ACU_PRICE}")
    today = datetime.now(UTC).date()
    first, last = today - timedelta(days=days), today - timedelta(days=1)
    data = SandboxData.generate(sessions=sessions, seed=7, start=first, days=days)
    with Sandbox(data).serve() as base_url:
        os.environ.update({"DEVIN_API_BASE_URL": base_url, "DEVIN_API_KEY": SANDBOX_API_KEY})
        console.print(f"[bold]Sandbox[/] serving {sessions} sessions at {base_url}")
        ok = _materialize(console, first, last)
    if not ok:
        return 1
    settings = load_settings()
    recent = last - timedelta(days=2)
    render_tables(read_reports(settings.duckdb_path, recent, last, ("org", "category")), console)
    render_tables([read_top_users(settings.duckdb_path, first, last)], console)
    week = last - timedelta(days=6)
    render_tables([read_billing(settings.duckdb_path, max(week, first), last)], console)
    render_tables([narrowed(read_budget(settings.duckdb_path), BUDGET_COLUMNS)], console)
    outcomes = read_outcomes(settings.duckdb_path, first, last, "org")
    render_tables([narrowed(outcomes, OUTCOME_COLUMNS)], console)
    print_adoption(console, settings.duckdb_path, first, last)
    _print_next_steps(console, settings.duckdb_path)
    page = dashboard_path(settings, DEFAULT_NAMES)
    console.print(f"\n[bold]Usage dashboard:[/] {page} (open it in a browser; no network needed)")
    return 0


Step = tuple[list[str], dict[str, str]]


def demo_steps(first: date, last: date) -> list[Step]:
    """What the daily schedules, then automation, would run for [first, last], in order: the
    range's sources as one run each, what follows them, then the billing days (from the one
    holding the first day's 00:00) and what follows those."""
    days = range_tags(first.isoformat(), last.isoformat())
    billing_days = range_tags((first - timedelta(days=1)).isoformat(), last.isoformat())
    return [
        (INGESTION, days),
        (DERIVED, {}),
        (METRICS_SOURCE, days),
        (ADOPTION, {}),
        (["devin/acu_consumption"], billing_days),
        (["devin/acu_reconciliation", "devin/org_budget_status"], {}),
        ([DASHBOARD], {}),
    ]


def _materialize(console: Console, first: date, last: date) -> bool:
    """The demo's steps on the real instance, each a run, with progress in the terminal."""
    from devin_pipeline.definitions import build_defs  # reads the env set just above

    defs = build_defs(load_settings())
    instance = dg.DagsterInstance.get()
    for keys, tags in demo_steps(first, last):
        started = time.monotonic()
        selection = " ".join(keys)
        job = defs.resolve_implicit_global_asset_job_def().get_subset(
            asset_selection={dg.AssetKey.from_user_string(key) for key in keys}
        )
        # The terminal gets the asset's progress lines (days done, versions, rate) and errors;
        # the run log on the instance keeps every event for the UI.
        job = job.with_logger_defs({PROGRESS_LOGGER: progress_logger(console)})
        result = job.execute_in_process(
            run_config=progress_run_config(), instance=instance, tags=tags, raise_on_error=False
        )
        status = "[green]ok[/]" if result.success else "[red]FAILED[/]"
        console.print(
            f"{status} {selection} ({time.monotonic() - started:.1f}s, run {result.run_id})"
        )
        if not result.success:
            return False
    return True


def _print_next_steps(console: Console, database: str) -> None:
    console.print(
        "\n[bold]Next:[/] open the Dagster UI on the same instance and data:\n"
        f"  DAGSTER_HOME={os.environ['DAGSTER_HOME']} DEVIN_DUCKDB_PATH={database} "
        ".venv/bin/dagster dev -w workspace.yaml\n"
        f"  SQL: .venv/bin/python -c \"import duckdb; duckdb.connect('{database}', read_only=True)"
        ".sql('SELECT * FROM devin.org_daily_metrics').show()\""
    )
