"""`devin-pipeline dashboard`: the usage dashboard built read-only from the DuckDB file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from devin_pipeline.dashboard.panels import Window


def add_dashboard_command(commands: argparse._SubParsersAction, day: Callable[[str], date]) -> None:
    """Registers the subcommand and its options (`day` parses YYYY-MM-DD)."""
    parser = commands.add_parser(
        "dashboard",
        help="Write the usage dashboard: one self-contained HTML file, SVG charts beside it.",
        description="Build the usage dashboard (KPIs, ACUs per org, active users, seats, top "
        "people, outcomes, billing, freshness) for a UTC date range from the DuckDB file, "
        "read-only, as one HTML file that opens with no network; an SVG per chart beside it.",
    )
    parser.add_argument("--start", type=day, help="First UTC day (default: 30 days to --end).")
    parser.add_argument(
        "--end", type=day, help="Last UTC day, inclusive (default: the latest snapshot day)."
    )
    parser.add_argument("--out", help="HTML file to write (default: beside the DuckDB file).")
    parser.add_argument("--database", help="DuckDB file (default: DEVIN_DUCKDB_PATH).")
    parser.add_argument(
        "--schema", default="devin", help="Schema: the instance's key prefix (default devin)."
    )


def run_dashboard(args: argparse.Namespace) -> int:
    """Builds the page; 0 and its path on stdout, or 1/2 and a one-line reason on stderr."""
    from devin_pipeline.assets.dashboard import dashboard_path
    from devin_pipeline.dashboard.build import DEFAULT_DAYS, build_dashboard
    from devin_pipeline.instance_names import InstanceNames
    from devin_pipeline.settings import load_settings

    settings = load_settings()
    database = args.database or settings.duckdb_path
    local = "://" not in database and not database.startswith("md:")
    if local and not Path(database).exists():
        sys.stderr.write(
            f"devin-pipeline dashboard: no DuckDB file at {database}; run `devin-pipeline "
            "demo`, or materialize the assets, or pass --database\n"
        )
        return 1
    out = Path(args.out) if args.out else dashboard_path(settings, InstanceNames(args.schema))
    with duckdb.connect(database, read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        window = None
        if args.start or args.end:
            end = args.end or datetime.now(UTC).date()
            window = Window(args.start or end - timedelta(days=DEFAULT_DAYS - 1), end)
            if window.start > window.end:
                sys.stderr.write(
                    f"devin-pipeline dashboard: --start {window.start} is after --end {end}\n"
                )
                return 2
        dashboard = build_dashboard(conn, args.schema, out, settings, window)
    sys.stdout.write(
        f"Wrote {dashboard.path} ({dashboard.size_bytes / 1e6:.2f} MB, UTC days "
        f"{dashboard.window.start} .. {dashboard.window.end}) and {len(dashboard.charts)} "
        "SVG charts beside it\n"
    )
    return 0
