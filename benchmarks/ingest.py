"""Ingestion vs. the bare `requests` loop, at each size: `python -m benchmarks.ingest --sizes ...`.

Every contender gets a fresh sandbox process serving the same seeded data, and runs in its own
process, so its peak RSS is its own. The ratio is against the bare loop of the same size.
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


def measure_size(
    spec: SandboxSpec, concurrency: int, with_unverified: bool
) -> tuple[Result, list[Result]]:
    """The bare loop and the pipeline (verified, and optionally unverified) at one size."""
    ours = ("benchmarks.contenders", f"--concurrency={concurrency}")
    contenders = [
        ("bare requests loop", ("benchmarks.bare_loop",)),
        (f"ingest_days c={concurrency}", ours),
    ]
    if with_unverified:
        contenders.append((f"ingest_days c={concurrency}, verify off", (*ours, "--no-verify")))
    results = []
    for name, (module, *args) in contenders:
        with sandbox_process(spec) as sandbox:
            results.append(run_contender(name, module, sandbox, spec, *args))
    return results[0], results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--days", type=int, default=30, help="Day windows the data spans (30).")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--unverified", action="store_true", help="Also run with DEVIN_VERIFY_COMPLETENESS off."
    )
    add_data_arguments(parser, ["bursty"])
    args = parser.parse_args()
    for size in args.sizes:
        for spec in data_specs(args, sessions=size, days=args.days):
            baseline, results = measure_size(spec, args.concurrency, args.unverified)
            title = f"### {size:,} sessions over {args.days} days, {spec.label} (first=200)"
            print_table(title, results, baseline, args.days)
            if any(r.rows != baseline.rows for r in results):
                raise SystemExit("contenders read different row counts: the comparison is void")


if __name__ == "__main__":
    main()
