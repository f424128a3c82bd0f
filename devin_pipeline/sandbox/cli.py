"""`devin-pipeline sandbox`: serve the fake sessions API on loopback until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
from datetime import UTC, date, datetime, timedelta

from devin_pipeline.sandbox.app import SANDBOX_API_KEY
from devin_pipeline.sandbox.data import SandboxData
from devin_pipeline.sandbox.faults import FaultPlan
from devin_pipeline.sandbox.pages import TOTALS
from devin_pipeline.sandbox.profiles import PROFILES
from devin_pipeline.sandbox.query import ORDERS
from devin_pipeline.sandbox.server import BOUNDS, Sandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="devin-pipeline sandbox",
        description="Serve a strict local fake of Devin's GET /v3/enterprise/sessions. "
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
        "--latency-ms", type=float, default=0.0, help="Added to every sessions request (0)."
    )
    return parser


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
        order=args.order,
        total=args.total,
    )
    clock = datetime.fromtimestamp(sandbox.clock, UTC).isoformat()
    print(f"Devin API sandbox: {data.session_count} sessions created {start} + {args.days} days")
    print(f"  base URL: http://127.0.0.1:{args.port}  (GET /v3/enterprise/sessions)")
    print(f"  clock:    {sandbox.clock} ({clock}); bounds: {args.bounds}")
    print(f"  profile:  {args.profile}; order: {args.order}; total: {args.total}")
    print("Point the pipeline at it with:")
    print(f"  export DEVIN_API_BASE_URL=http://127.0.0.1:{args.port}")
    print(f"  export DEVIN_API_KEY={SANDBOX_API_KEY}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        sandbox.serve_forever(args.port)
    return 0
