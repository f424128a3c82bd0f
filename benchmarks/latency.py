"""A backfill against a slow API: `python -m benchmarks.latency --days 30`.

The sandbox adds `--latency-ms` to every sessions request, as a distant API would. The same
range is ingested by `ingest_days` at each `--concurrency` (the setting's default unless
told), then by a whole `dagster asset materialize --partition-range` process (as a user runs
a backfill, Dagster's start-up included), each against the sequential bare loop of the same
run: wall, requests and CPU per version as ratios to it.
"""

from __future__ import annotations

import argparse

from benchmarks.harness import (
    Result,
    SandboxSpec,
    add_data_arguments,
    data_specs,
    print_table,
    run_contender,
    sandbox_process,
)
from benchmarks.materialize import materialize
from devin_pipeline.settings import DECLARED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=30, help="Days in the backfill (30).")
    parser.add_argument("--sessions", type=int, default=30_000, help="Sessions served (30k).")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="Per request (50).")
    default = DECLARED["concurrency"].default
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[default],
        help=f"Windows at once, one ingest_days run each (the default, {default}).",
    )
    parser.add_argument(
        "--no-materialize", action="store_true", help="Skip the `dagster asset materialize` run."
    )
    add_data_arguments(parser, ["bursty"])
    args = parser.parse_args()
    for spec in data_specs(
        args, sessions=args.sessions, days=args.days, latency_ms=args.latency_ms
    ):
        run(spec, args.concurrency, not args.no_materialize)


def run(spec: SandboxSpec, concurrency: list[int], with_materialize: bool) -> None:
    """The bare loop, ingest_days at each concurrency and the whole process, on one setup."""
    contenders = [("bare requests loop", "benchmarks.bare_loop", ())]
    contenders += [
        (f"ingest_days c={c}", "benchmarks.contenders", (f"--concurrency={c}",))
        for c in concurrency
    ]
    results = []
    for name, module, extra in contenders:
        with sandbox_process(spec) as sandbox:
            results.append(run_contender(name, module, sandbox, spec, *extra))
    if with_materialize:
        results.append(materialize(spec, verify=True))
    title = (
        f"### {spec.days}-day backfill, {spec.sessions:,} sessions, "
        f"{spec.latency_ms:g} ms per request, {spec.label}"
    )
    print_table(title, results, results[0], spec.days)
    _print_ratios(results, len(concurrency))


def _print_ratios(results: list[Result], runs: int) -> None:
    """Each window count's speed-up over the first, and the whole process against the bare
    loop's whole process (both walls include their start-up there)."""
    bare, (one, *rest) = results[0], results[1 : 1 + runs]
    for result in rest:
        print(f"\n{result.name}: {one.seconds / result.seconds:.2f}x faster than {one.name}")
    for result in results[1 + runs :]:
        print(
            f"\n{result.name}: {result.seconds:.2f} s as a process, "
            f"{result.seconds / bare.process.wall:.2f}x the bare loop's process "
            f"({bare.process.wall:.2f} s), {result.requests / bare.requests:.3f}x its requests"
        )


if __name__ == "__main__":
    main()
