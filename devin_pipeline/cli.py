"""`devin-pipeline`: demo, sandbox, report and doctor commands."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from devin_pipeline.dashboard.command import add_dashboard_command
from devin_pipeline.doctor.command import add_doctor_parser

if TYPE_CHECKING:
    from devin_pipeline.report import MetricsReport

# What `devin-pipeline demo` and `sandbox` need beyond the pipeline: the `sandbox` extra.
SANDBOX_PACKAGES = frozenset({"fastapi", "starlette", "uvicorn", "numpy"})
SANDBOX_EXTRA = "pip install 'devin_pipeline[sandbox]'"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    try:
        return _run(parser, args, rest)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SANDBOX_PACKAGES:
            raise
        sys.stderr.write(
            f"devin-pipeline {args.command} serves the sandbox, which needs {exc.name}: "
            f"{SANDBOX_EXTRA}\n"
        )
        return 2


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace, rest: list[str]) -> int:
    if args.command == "sandbox":
        from devin_pipeline.sandbox.cli import run_cli

        return run_cli(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "doctor":
        from devin_pipeline.doctor.command import run_command

        return run_command(args)
    if args.command == "demo":
        from devin_pipeline.demo import run_demo

        return run_demo(_console(), sessions=args.sessions, days=args.days)
    if args.command == "dashboard":
        from devin_pipeline.dashboard.command import run_dashboard

        return run_dashboard(args)
    return _report(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="devin-pipeline",
        description="Devin sessions API -> DuckDB, with Dagster. "
        "Run `devin-pipeline COMMAND --help` for a command's options.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="Run the last days end to end on the sandbox.",
        description="Serve a sandbox API, backfill its last days into the DuckDB file "
        "through Dagster (with progress: days done, versions, rate), build the metrics, "
        "and print the per-org and per-category tables. Uses DAGSTER_HOME (default: the "
        "repository's dagster_home) and DEVIN_DUCKDB_PATH.",
    )
    demo.add_argument("--sessions", type=int, default=4000, help="Sandbox sessions (4000).")
    demo.add_argument("--days", type=int, default=14, help="Days to materialize (14).")
    add_doctor_parser(commands)
    commands.add_parser(
        "sandbox", help="Serve the fake API on loopback (see: sandbox --help).", add_help=False
    )
    report = commands.add_parser(
        "report",
        help="Daily metrics tables per org, category, user or origin.",
        description="Daily metrics per org (with names), category, user (with names) or "
        "origin for a UTC date range, read (read-only) from the DuckDB file: terminal tables, "
        "or CSV / JSON for scripts.",
    )
    report.add_argument(
        "--by",
        nargs="+",
        choices=["org", "category", "user", "origin", "outcome", "active-users", "seats"],
        default=["org", "category"],
        help="Which tables, one or more (default: org category); `outcome` alone: sessions, "
        "merged PRs, ACUs and cost per merged PR of the months overlapping --start..--end; "
        "active-users (distinct users per day, week and month) or seats (listed people, idle "
        "ones first) on its own.",
    )
    report.add_argument(
        "--dimension",
        choices=["enterprise", "org", "category", "origin", "session_size", "team"],
        help="With --by outcome: only this dimension (default: all).",
    )
    report.add_argument(
        "--budget",
        action="store_true",
        help="Instead: the current billing cycle's budget per org (billed, forecast, cap, "
        "cost when DEVIN_ACU_PRICE is set).",
    )
    report.add_argument(
        "--billing",
        action="store_true",
        help="Instead: billed vs session-derived ACUs per org, for billing days --start..--end "
        "(a billing day starts at 08:00 UTC).",
    )
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    report.add_argument(
        "--start",
        type=_day,
        default=yesterday - timedelta(days=6),
        help="First UTC day, YYYY-MM-DD (default: 7 days before today).",
    )
    report.add_argument(
        "--end", type=_day, default=yesterday, help="Last UTC day, inclusive (default: yesterday)."
    )
    report.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table (terminal), csv or json (stdout, for scripts).",
    )
    report.add_argument("--database", help="DuckDB file (default: DEVIN_DUCKDB_PATH).")
    report.add_argument(
        "--schema", default="devin", help="Schema: the instance's key prefix (default devin)."
    )
    add_dashboard_command(commands, _day)
    return parser


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from None


def _report(args: argparse.Namespace) -> int:
    import duckdb

    from devin_pipeline.report import (
        read_billing,
        read_reports,
        render_csv,
        render_json,
        render_rows,
        render_tables,
    )
    from devin_pipeline.settings import load_settings

    if args.start > args.end:
        sys.stderr.write(f"devin-pipeline report: --start {args.start} is after --end {args.end}\n")
        return 2
    database = args.database or load_settings().duckdb_path
    if "://" not in database and not database.startswith("md:") and not Path(database).exists():
        sys.stderr.write(
            f"devin-pipeline report: no DuckDB file at {database}; run `devin-pipeline demo`, "
            "or materialize the assets, or pass --database\n"
        )
        return 1
    if "outcome" in args.by and len(args.by) > 1:
        sys.stderr.write("devin-pipeline report: --by outcome is a table of its own; ask alone\n")
        return 2
    adoption = _adoption_report(args, database)
    if adoption is not None:
        return adoption
    try:
        if args.budget or args.by == ["outcome"]:  # money and outcomes: one table each
            billing = _money_report(args, database)
        elif args.billing:
            billing = read_billing(database, args.start, args.end, args.schema)
        else:
            reports = read_reports(database, args.start, args.end, args.by, args.schema)
    except duckdb.CatalogException as exc:
        # A table the file does not have yet: say which asset makes it, not a traceback.
        sys.stderr.write(
            f"devin-pipeline report: {str(exc).splitlines()[0]} in {database}; materialize "
            f"the asset of that name (schema {args.schema}) first\n"
        )
        return 1
    if args.billing or args.budget or args.by == ["outcome"]:
        if args.format == "table":
            render_tables([billing], _console())
        else:
            sys.stdout.write(render_rows(billing, args.format))
        return 0
    if args.format == "csv":
        sys.stdout.write(render_csv(reports))
    elif args.format == "json":
        sys.stdout.write(render_json(reports) + "\n")
    else:
        render_tables(reports, _console())
    return 0


def _money_report(args: argparse.Namespace, database: str) -> MetricsReport:
    """`--budget`, or `--by outcome` (optionally one `--dimension`)."""
    from devin_pipeline.report import read_budget, read_outcomes

    if args.budget:
        return read_budget(database, args.schema)
    return read_outcomes(database, args.start, args.end, args.dimension, args.schema)


def _adoption_report(args: argparse.Namespace, database: str) -> int | None:
    """`--by active-users` or `--by seats` (alone): their own columns; None for the others."""
    import duckdb

    from devin_pipeline.report import (
        ADOPTION_REPORTS,
        read_active_users,
        read_seats,
        render_rows,
        render_tables,
    )

    asked = [kind for kind in args.by if kind in ADOPTION_REPORTS]
    if not asked:
        return None
    if len(args.by) > 1 or args.billing:
        sys.stderr.write(f"devin-pipeline report: --by {asked[0]} goes alone\n")
        return 2
    try:
        if asked[0] == "seats":
            report = read_seats(database, schema=args.schema)
        else:
            report = read_active_users(database, args.start, args.end, schema=args.schema)
    except duckdb.CatalogException as exc:
        sys.stderr.write(
            f"devin-pipeline report: {str(exc).splitlines()[0]} in {database}; materialize "
            f"the asset of that name (schema {args.schema}) first\n"
        )
        return 1
    if args.format == "table":
        render_tables([report], _console())
    else:
        sys.stdout.write(render_rows(report, args.format))
    return 0


def _console() -> Console:
    """A console whose tables stay readable when piped (rich assumes 80 columns there)."""
    console = Console()
    return console if console.is_terminal else Console(width=max(console.width, 130))


if __name__ == "__main__":
    sys.exit(main())
