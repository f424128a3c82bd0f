"""`devin-pipeline`: demo, sandbox and report commands."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rich.console import Console

from devin_pipeline.dashboard.command import add_dashboard_command


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "sandbox":
        from devin_pipeline.sandbox.cli import run_cli

        return run_cli(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
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
        choices=["org", "category", "user", "origin"],
        default=["org", "category"],
        help="Which tables, one or more (default: org category).",
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
    try:
        if args.billing:
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
    if args.billing:
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


def _console() -> Console:
    """A console whose tables stay readable when piped (rich assumes 80 columns there)."""
    console = Console()
    return console if console.is_terminal else Console(width=max(console.width, 130))


if __name__ == "__main__":
    sys.exit(main())
