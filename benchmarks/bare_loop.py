"""The limit to compare with: a plain `requests` loop that only decodes JSON.

It walks the same day windows and pages as the pipeline (updated_after=start-1,
updated_before=end, first=200, include_deleted_orgs=true), one after the other, and imports
nothing but requests and orjson, so its peak RSS is that of the loop itself. Prints one JSON
line: rows (items of each window's own day), requests, seconds, and the CPU seconds of the walk
alone (`walk_cpu`, all threads, start-up excluded).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, date, datetime, timedelta

import orjson
import requests

SESSIONS_PATH = "/v3/enterprise/sessions"


def day_windows(first: date, days: int) -> list[tuple[int, int]]:
    """[start, end) epoch seconds of each UTC day."""
    midnight = datetime(first.year, first.month, first.day, tzinfo=UTC)
    starts = [int((midnight + timedelta(days=n)).timestamp()) for n in range(days)]
    return [(start, start + 86_400) for start in starts]


def walk(base_url: str, api_key: str, windows: list[tuple[int, int]]) -> dict[str, float]:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {api_key}"
    rows = pages = 0
    started, cpu = time.perf_counter(), time.process_time()
    for start, end in windows:
        params: dict[str, object] = {
            "first": 200,
            "updated_after": start - 1,
            "updated_before": end,
            "include_deleted_orgs": "true",
        }
        while True:
            response = http.get(base_url + SESSIONS_PATH, params=params, timeout=(10, 60))
            response.raise_for_status()
            body = orjson.loads(response.content)
            pages += 1
            rows += sum(1 for item in body["items"] if start <= item["updated_at"] < end)
            if not body["has_next_page"]:
                break
            params["after"] = body["end_cursor"]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"rows": rows, "requests": pages, "seconds": seconds, "walk_cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--start", type=date.fromisoformat, required=True)
    parser.add_argument("--days", type=int, required=True)
    args = parser.parse_args()
    windows = day_windows(args.start, args.days)
    print(json.dumps(walk(args.base_url, os.environ["DEVIN_API_KEY"], windows)))


if __name__ == "__main__":
    main()
