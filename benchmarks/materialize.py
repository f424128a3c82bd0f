"""A whole backfill as a user runs it: `python -m benchmarks.materialize --sessions 200000`.

Times `dagster asset materialize --select devin/session_snapshots --partition-range A...B`
as a process (start-up, definitions, run storage, the step process, the ingestion) against
the bare `requests` loop as a process over the same day windows. Each gets a fresh sandbox
process; the Dagster instance is a temporary DAGSTER_HOME with the project's dagster.yaml.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import duckdb
import requests

from benchmarks.harness import (
    REPO,
    Result,
    SandboxSpec,
    add_data_arguments,
    contender_env,
    data_specs,
    print_table,
    run_contender,
    run_measured,
    sandbox_process,
)


def materialize(spec: SandboxSpec, verify: bool) -> Result:
    """One `dagster asset materialize --partition-range` process over the spec's days."""
    first, last = spec.start, spec.start + timedelta(days=spec.days - 1)
    with tempfile.TemporaryDirectory(prefix="devin-materialize-bench-") as tmp:
        home = Path(tmp) / "dagster_home"
        home.mkdir()
        shutil.copy(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
        database = Path(tmp) / "warehouse.duckdb"
        argv = [sys.executable, "-m", "dagster", "asset", "materialize"]
        argv += ["-m", "devin_pipeline.definitions", "--select", "devin/session_snapshots"]
        argv += ["--partition-range", f"{first}...{last}"]
        with sandbox_process(spec) as sandbox:
            env = contender_env(
                sandbox.url,
                DAGSTER_HOME=str(home),
                DEVIN_DUCKDB_PATH=str(database),
                DEVIN_PARTITIONS_START=first.isoformat(),
                DEVIN_VERIFY_COMPLETENESS="true" if verify else "false",
            )
            api_cpu = sandbox.cpu_seconds()
            measured = run_measured(argv, env=env)
            api_cpu = sandbox.cpu_seconds() - api_cpu
            requests_made = _sessions_requests(sandbox.url)
        with duckdb.connect(str(database), read_only=True) as conn:
            row = conn.execute("SELECT count(*) FROM devin.session_snapshots").fetchone()
    name = "dagster asset materialize" + ("" if verify else ", verify off")
    rows = int(row[0]) if row else 0
    return Result(name, rows, requests_made, measured.wall, measured, api_cpu, {})


def _sessions_requests(url: str) -> int:
    return int(requests.get(url + "/_sandbox/state", timeout=10).json()["requests"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--unverified", action="store_true", help="Also run verify off.")
    add_data_arguments(parser, ["smooth", "bursty"])
    args = parser.parse_args()
    for spec in data_specs(args, sessions=args.sessions, days=args.days):
        compare(spec, args.unverified)


def compare(spec: SandboxSpec, unverified: bool) -> None:
    """The bare loop's process against `dagster asset materialize`'s, on one configuration."""
    with sandbox_process(spec) as sandbox:
        bare = run_contender("bare requests loop", "benchmarks.bare_loop", sandbox, spec)
    # Both sides as processes: the bare loop's "wall" is its process wall here too.
    bare = Result(
        bare.name, bare.rows, bare.requests, bare.process.wall, bare.process, bare.api_cpu, {}
    )
    results = [bare, materialize(spec, verify=True)]
    if unverified:
        results.append(materialize(spec, verify=False))
    title = (
        f"### `dagster asset materialize --partition-range`, {spec.days} days, "
        f"{spec.sessions:,} sessions, {spec.label} (walls are whole processes)"
    )
    print_table(title, results, bare, spec.days)
    if any(r.rows != bare.rows for r in results):
        raise SystemExit("contenders read different row counts: the comparison is void")


if __name__ == "__main__":
    main()
