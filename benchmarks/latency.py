"""A backfill against a slow API: `python -m benchmarks.latency --days 30`.

The sandbox adds `--latency-ms` to every sessions request, as a distant API would. The same
range is ingested one window at a time (concurrency 1) and with concurrent windows; the
speed-up is their wall ratio. The bare loop (sequential) is shown for reference.
"""

from __future__ import annotations

import argparse

from benchmarks.harness import (
    SandboxSpec,
    add_data_arguments,
    data_specs,
    print_table,
    run_contender,
    sandbox_process,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=30, help="Days in the backfill (30).")
    parser.add_argument("--sessions", type=int, default=30_000, help="Sessions served (30k).")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="Per request (50).")
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[1, 4], help="Windows at once (1 4)."
    )
    add_data_arguments(parser, ["bursty"])
    args = parser.parse_args()
    for spec in data_specs(
        args, sessions=args.sessions, days=args.days, latency_ms=args.latency_ms
    ):
        run(spec, args.concurrency)


def run(spec: SandboxSpec, concurrency: list[int]) -> None:
    """The bare loop and ingest_days at each concurrency over one sandbox configuration."""
    contenders = [("bare requests loop", "benchmarks.bare_loop", ())]
    contenders += [
        (f"ingest_days c={c}", "benchmarks.contenders", (f"--concurrency={c}",))
        for c in concurrency
    ]
    results = []
    for name, module, extra in contenders:
        with sandbox_process(spec) as sandbox:
            results.append(run_contender(name, module, sandbox, spec, *extra))
    title = (
        f"### {spec.days}-day backfill, {spec.sessions:,} sessions, "
        f"{spec.latency_ms:g} ms per request, {spec.label}"
    )
    print_table(title, results, results[0], spec.days)
    one, *rest = results[1:]
    for result in rest:
        print(f"\n{result.name}: {one.seconds / result.seconds:.2f}x faster than {one.name}")


if __name__ == "__main__":
    main()
