"""Requests per day of the guaranteed walk against one cursor walk: `python -m benchmarks.requests`.

Against a real API the cost that matters is requests (round trips, and an unpublished rate
limit). For each data profile, list order and `total` policy of the sandbox this walks every
day of the range twice, one day after the other with the run's shared hints, exactly as
`walk_day` runs in the asset: once with the guarantee and once as one plain cursor walk (what
the bare loop does). Request counts come from the sandbox's own request log and are
deterministic, so one run is the measurement.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, timedelta

from devin_pipeline.ingest.day_walk import walk_day
from devin_pipeline.ingest.regions import WalkHints
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox, SandboxData

FILTERS = {"include_deleted_orgs": True}


@dataclass(frozen=True)
class Counts:
    """One configuration's requests: per day for the guaranteed walk and the cursor walk."""

    walk: list[int]
    cursor: list[int]
    versions: int
    fallbacks: int

    @property
    def ratio(self) -> float:
        return sum(self.walk) / sum(self.cursor)

    @property
    def worst(self) -> float:
        return max(w / c for w, c in zip(self.walk, self.cursor, strict=True))


def count(data: SandboxData, days: list[date], order: str, total: str) -> Counts:
    """Walks every day both ways against one sandbox; requests read from its log."""
    sandbox = Sandbox(data, order=order, total=total)
    walk, cursor, versions, fallbacks = [], [], 0, 0
    with sandbox.serve() as url:
        api = DevinAPIResource(api_key=SANDBOX_API_KEY, base_url=url)
        hints = WalkHints()
        for verify, out in ((True, walk), (False, cursor)):
            for day in days:
                before = len(sandbox.requests)
                result = walk_day(api, day, FILTERS, lambda _: None, verify, hints)
                out.append(len(sandbox.requests) - before)
                if verify:
                    versions += result.versions
                    fallbacks += result.fallbacks
    return Counts(walk, cursor, versions, fallbacks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--profiles", nargs="+", default=["smooth", "bursty"])
    parser.add_argument("--orders", nargs="+", default=["created_desc", "updated_asc"])
    parser.add_argument("--totals", nargs="+", default=["sometimes"])
    args = parser.parse_args()
    start = date(2024, 6, 1)
    days = [start + timedelta(days=n) for n in range(args.days)]
    print(f"\n### Requests per day, {args.days} days, {args.sessions:,} sessions, first=200")
    head = "| profile | order | total | versions | cursor walk req/day | guaranteed req/day "
    print(head + "| ratio | worst day | fallbacks |\n|---|---|---|---|---|---|---|---|---|")
    for profile in args.profiles:
        data = SandboxData.generate(args.sessions, 7, start, args.days, profile=profile)
        for order in args.orders:
            for total in args.totals:
                c = count(data, days, order, total)
                print(
                    f"| {profile} | {order} | {total} | {c.versions:,} "
                    f"| {sum(c.cursor) / len(days):.1f} | {sum(c.walk) / len(days):.1f} "
                    f"| {c.ratio:.3f} | {c.worst:.3f} | {c.fallbacks} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
