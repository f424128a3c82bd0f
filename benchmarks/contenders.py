"""The pipeline's side of a benchmark: `ingest_days` into a fresh DuckDB file, as the asset runs
it, in its own process. Prints one JSON line: rows, requests, seconds, the CPU seconds of the
ingestion alone (`walk_cpu`: all threads, DuckDB's included, start-up excluded), walks.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from devin_pipeline.ingest.runner import ingest_days
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.warehouse.connection import prepare


def _days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


def ingest(base_url: str, days: list[date], concurrency: int, verify: bool) -> dict[str, object]:
    """`ingest_days` over `days` into a new DuckDB file, exactly as the asset runs it."""
    api = DevinAPIResource(api_key=os.environ["DEVIN_API_KEY"], base_url=base_url)
    with tempfile.TemporaryDirectory() as tmp:
        conn = prepare(duckdb.connect(str(Path(tmp) / "bench.duckdb")))
        started, cpu = time.perf_counter(), time.process_time()
        report = ingest_days(
            api, conn, days, {"include_deleted_orgs": True}, concurrency=concurrency, verify=verify
        )
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        conn.close()
    if report.error is not None:
        raise report.error
    return {
        "rows": report.rows,
        "requests": sum(w.pages for w in report.walks),
        "seconds": seconds,
        "walk_cpu": cpu,
        "walks": sum(w.walks for w in report.walks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--start", type=date.fromisoformat, required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--no-verify", action="store_true")
    args = parser.parse_args()
    days = _days(args.start, args.days)
    print(json.dumps(ingest(args.base_url, days, args.concurrency, not args.no_verify)))


if __name__ == "__main__":
    main()
