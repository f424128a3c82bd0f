"""`devin-pipeline sandbox`: serve the fake enterprise API on loopback until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
from datetime import UTC, date, datetime, timedelta

from devin_pipeline.sandbox.auth import SANDBOX_API_KEY
from devin_pipeline.sandbox.billing import DATE_MARKS
from devin_pipeline.sandbox.data import SandboxData
from devin_pipeline.sandbox.faults import FaultPlan
from devin_pipeline.sandbox.metrics_options import CUTS, END_TIMES, ORIGIN_REPORTS, MetricsOptions
from devin_pipeline.sandbox.pages import TOTALS
from devin_pipeline.sandbox.profiles import PROFILES
from devin_pipeline.sandbox.query import ORDERS
from devin_pipeline.sandbox.server import BOUNDS, Sandbox
from devin_pipeline.sandbox.vocab import PERMISSIONS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="devin-pipeline sandbox",
        description="Serve a strict local fake of Devin's v3 enterprise API: sessions, "
        "organizations, members, consumption and metrics. "
        "Admin (loopback only): GET /_sandbox/state, POST /_sandbox/clock "
        '{"now": N} or {"advance": N}, POST /_sandbox/faults, POST /_sandbox/reset-stats.',
    )
    parser.add_argument("--port", type=int, default=8765, help="Port on 127.0.0.1 (8765).")
    parser.add_argument("--sessions", type=int, default=2000, help="Sessions to generate (2000).")
    parser.add_argument("--seed", type=int, default=7, help="Seed of the data (7).")
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=None,
        help="First UTC day of session creation, YYYY-MM-DD (default: --days ago, so the "
        "data ends today at 00:00 UTC, where the clock starts).",
    )
    parser.add_argument("--days", type=int, default=14, help="Days of session creation (14).")
    parser.add_argument(
        "--bounds",
        choices=BOUNDS,
        default="exclusive",
        help="How *_after/*_before compare: exclusive (>, <) or inclusive (>=, <=).",
    )
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="smooth",
        help="smooth, or bursty: business-hour bursts and ~7%% of each day at 00:00:00 "
        "and at 23:59:59.",
    )
    parser.add_argument("--order", choices=ORDERS, default="created_desc", help="The list's order.")
    parser.add_argument(
        "--total",
        choices=TOTALS,
        default="sometimes",
        help="When `total` is sent (sometimes: not on time-only queries, null on odd pages).",
    )
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="Added to every API request (0)."
    )
    _add_enterprise_arguments(parser)
    return parser


def _add_enterprise_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the endpoints beyond sessions: the key's permissions, consumption dates."""
    parser.add_argument(
        "--consumption-date-mark",
        choices=DATE_MARKS,
        default="billing_start",
        help="Which instant of billing day B a consumption entry's date marks: "
        "billing_start (B 08:00 UTC), utc_midnight (B 00:00 UTC), pacific_dst (B 07:00 UTC).",
    )
    metrics = parser.add_argument_group("metrics endpoints (undocumented readings)")
    metrics.add_argument(
        "--no-searches", action="store_true", help="Nobody searches (default: people search)."
    )
    metrics.add_argument(
        "--metrics-origins",
        choices=ORIGIN_REPORTS,
        default="devin",
        help="devin: hide cli/vscode_extension/devin_spaces, fold scheduled into automation "
        "(default); all: report every origin as sessions carry it.",
    )
    metrics.add_argument(
        "--metrics-end-time",
        choices=END_TIMES,
        default="next_boundary",
        help="A bucket's end_time: the next boundary (default) or its last second.",
    )
    metrics.add_argument(
        "--metrics-cut",
        choices=CUTS,
        default="whole",
        help="A range starting or ending mid-bucket: count the bucket whole (default) or clip it.",
    )
    metrics.add_argument(
        "--comma-lists",
        action="store_true",
        help="Also accept list parameters comma-joined (org_ids=a,b); default: repeated key only.",
    )
    parser.add_argument(
        "--permissions",
        type=_permissions,
        default=frozenset(PERMISSIONS),
        help=f"Comma-separated permissions of the key (default all: {','.join(PERMISSIONS)}).",
    )
    parser.add_argument(
        "--no-running-cycle",
        action="store_true",
        help="Leave the running billing cycle out of the cycles list.",
    )
    parser.add_argument(
        "--no-cycle-limits", action="store_true", help="Send every org's cycle ACU cap as null."
    )


def _permissions(text: str) -> frozenset[str]:
    """A comma list of known permission names ('' grants none)."""
    names = frozenset(p.strip() for p in text.split(",") if p.strip())
    unknown = names - set(PERMISSIONS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {sorted(unknown)}; known: {PERMISSIONS}")
    return names


def run_cli(argv: list[str] | None = None) -> int:
    """Generate the data, print how to point the pipeline at it, serve until interrupted."""
    args = _parser().parse_args(argv)
    start = args.start or datetime.now(UTC).date() - timedelta(days=args.days)
    data = SandboxData.generate(
        sessions=args.sessions, seed=args.seed, start=start, days=args.days, profile=args.profile
    )
    sandbox = Sandbox(
        data,
        bounds=args.bounds,
        faults=FaultPlan(latency_ms=args.latency_ms),
        permissions=args.permissions,
        consumption_date_mark=args.consumption_date_mark,
        order=args.order,
        total=args.total,
        running_cycle=not args.no_running_cycle,
        cycle_limits=not args.no_cycle_limits,
        metrics=MetricsOptions(
            searches=not args.no_searches,
            origins=args.metrics_origins,
            end_time=args.metrics_end_time,
            cut=args.metrics_cut,
            comma_lists=args.comma_lists,
        ),
    )
    clock = datetime.fromtimestamp(sandbox.clock, UTC).isoformat()
    print(f"Devin API sandbox: {data.session_count} sessions created {start} + {args.days} days")
    print(f"  base URL: http://127.0.0.1:{args.port}")
    print("  serves:   GET /v3/enterprise/sessions, /organizations[/{org_id}],")
    print("            /members/{users,idp-users,service-users},")
    print("            /consumption/daily[/{organizations,users,service-users,sessions}/{id}]")
    print("            /consumption/cycles, /sessions/insights")
    print("            /metrics/{dau,wau,mau,active-users,sessions,prs,searches,usage}")
    print(f"  clock:    {sandbox.clock} ({clock}); bounds: {args.bounds}")
    print(f"  consumption date mark: {args.consumption_date_mark}")
    print(f"  permissions: {', '.join(sorted(args.permissions)) or 'none'}")
    print(f"  profile:  {args.profile}; order: {args.order}; total: {args.total}")
    print("Point the pipeline at it with:")
    print(f"  export DEVIN_API_BASE_URL=http://127.0.0.1:{args.port}")
    print(f"  export DEVIN_API_KEY={SANDBOX_API_KEY}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        sandbox.serve_forever(args.port)
    return 0
