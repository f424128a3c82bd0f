"""Materializes one partition of devin/session_snapshots in this process, to be SIGKILLed.

Usage: python -m tests.reliability.child_run BASE_URL DUCKDB_PATH DAY PAGE_SIZE
"""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg

from devin_pipeline.settings import Settings
from tests.conftest import START, LiveSandbox, SnapshotRunner


def main(base_url: str, duckdb_path: str, day: str, page_size: str) -> int:
    """One walk (no re-walk), so the sandbox's request count tells where the run is."""
    live = LiveSandbox(None, base_url)  # type: ignore[arg-type]
    runner = SnapshotRunner(live, Path(duckdb_path), dg.DagsterInstance.ephemeral())
    settings = Settings(partitions_start=START, concurrency=1, verify_walks=False)
    return 0 if runner.run(day, settings=settings, page_size=int(page_size)).success else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
