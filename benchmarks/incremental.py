"""A run that changed one day of a long history: `python -m benchmarks.incremental --rows 10000000`.

A DuckDB file gets `--rows` synthetic snapshot versions (a year, day-ordered as the writer
stores them; benchmarks/synthetic_snapshots.py), a year of billed days, insights for every
session, Devin's daily figures, 50 listed orgs and 5,000 listed people, and every derived
table is built once. Then one day is re-ingested through the pipeline's writer as a daily run
would re-fetch it, with late changes (versions a first walk missed, versions re-listed with
another org or a merged PR), and that day's billed figures and insights are rewritten.

Timed in the same process, on the same file: the incremental refresh of every derived table,
then a whole rebuild of each from the same state (the baseline), with each step's wall and
CPU seconds and their ratio. `--verify` also checks that both left identical tables.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import orjson

from benchmarks.synthetic_snapshots import ORGS, write_synthetic_snapshots
from devin_pipeline.ingest.stage_file import StageFile
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.consumption_store import write_consumption
from devin_pipeline.warehouse.derived_tables import DERIVED_TABLES, StepCost, refresh_derived_tables
from devin_pipeline.warehouse.insight_store import create_insights_table, write_insights
from devin_pipeline.warehouse.organization_store import (
    rebuild_organizations,
    write_organization_listing,
)
from devin_pipeline.warehouse.reported_metrics_store import write_reported_metrics
from devin_pipeline.warehouse.snapshot_store import SnapshotStore
from devin_pipeline.warehouse.user_store import MemberListing, rebuild_users, write_member_listing

TARGET_SECONDS = 2.0  # every derived table after a one-day change at 10M versions (issue 20)
SETTINGS = Settings(acu_price=2.0)
CHANGED_DAY = date(2025, 6, 16)
FETCHED = datetime(2026, 1, 10, tzinfo=UTC)
_INSIGHTS = """
INSERT INTO devin.session_insights (session_id, created_at, created_date, session_size,
    has_analysis, fetched_at)
SELECT session_id, created_at, CAST(created_at AS DATE),
    ['xs', 's', 'm', 'l', 'xl'][CAST(1 + hash(session_id) % 5 AS BIGINT)], false, $fetched
FROM (SELECT session_id, any_value(created_at) AS created_at FROM devin.session_snapshots
      GROUP BY session_id)
"""


def build(path: Path, rows: int) -> None:
    """The history and its sources, then every derived table built once."""
    with closing(prepare(duckdb.connect(str(path)))) as conn:
        last = write_sources(conn, rows)
    # Whole, and the state the next (incremental) refresh starts from.
    refresh_derived_tables(path, replace(SETTINGS, incremental_refresh=False), last)


def write_sources(conn: duckdb.DuckDBPyConnection, rows: int) -> date:
    """The history, the listings, billed days, Devin's figures and insights; the last day."""
    write_synthetic_snapshots(conn, rows, seed=7)
    [(first, last)] = conn.execute(
        "SELECT min(snapshot_date), max(snapshot_date) FROM devin.session_snapshots"
    ).fetchall()
    orgs = [{"org_id": f"org-{n}", "name": f"Org {n}", "updated_at": 1} for n in range(ORGS)]
    write_organization_listing(conn, orgs, FETCHED)
    people = [
        {"user_id": f"user-{n}", "name": f"Person {n}", "role_assignments": [
            {"role": {"role_id": "member"}, "idp_group_name": f"team-{n % 12}"}]}
        for n in range(5000)
    ]  # fmt: skip
    write_member_listing(conn, MemberListing(users=people), FETCHED, personal=True)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    write_consumption(conn, billed(days, random.Random(1)), (first, last), ["org"], FETCHED)
    figures = [{"period": "day", "period_start": d, "metric": "dau", "dimension": "",
                "value": 900.0} for d in days]  # fmt: skip
    write_reported_metrics(conn, figures, (first, last), FETCHED)
    rebuild_organizations(conn)
    rebuild_users(conn, personal=True)
    create_insights_table(conn)
    conn.execute(_INSIGHTS, {"fetched": FETCHED})  # generated, as the history is: not logged
    return last


def billed(days: list[date], rng: random.Random) -> list[dict[str, Any]]:
    return [
        {"billing_date": d, "scope": "org", "scope_id": f"org-{n}", "product": p,
         "acus": round(rng.uniform(50, 500), 2)}
        for d in days for n in range(ORGS) for p in ("all", "devin")
    ]  # fmt: skip


def reingest_one_day(conn: duckdb.DuckDBPyConnection, stage_dir: Path, share: float) -> int:
    """The day as a daily run re-fetches it: every version again, `share` of them changed."""
    rng = random.Random(11)
    stored = conn.execute(
        "SELECT raw FROM devin.session_snapshots WHERE snapshot_date = $day", {"day": CHANGED_DAY}
    ).fetchall()
    items = [orjson.loads(raw) for (raw,) in stored]
    changed = 0
    for item in list(items):
        if rng.random() >= share:
            continue
        changed += 1
        draw = rng.random()
        if draw < 0.5 and item["updated_at"] % 86_400 > 60:  # a version the first walk missed
            items.append(item | {"updated_at": item["updated_at"] - 30,
                                 "acus_consumed": item["acus_consumed"] - 0.25})  # fmt: skip
        elif draw < 0.8:  # re-listed: the session moved org
            item["org_id"] = f"org-{rng.randrange(ORGS)}"
        else:  # re-listed: its PR merged
            item["pull_requests"] = [{"pr_url": f"https://github.com/acme/late/{item['session_id']}",
                                      "pr_state": "merged"}]  # fmt: skip
    stage = StageFile(stage_dir / "day.tsv")
    stage.append(items, FETCHED + timedelta(days=1))
    stage.close()
    SnapshotStore(conn).commit_day(CHANGED_DAY, stage.path)
    stage.remove()
    write_consumption(
        conn, billed([CHANGED_DAY], random.Random(2)), (CHANGED_DAY, CHANGED_DAY), ["org"], FETCHED
    )
    created = conn.execute(
        "SELECT session_id, created_at FROM devin.sessions WHERE CAST(created_at AS DATE) = $d",
        {"d": CHANGED_DAY},
    ).fetchall()
    insights = [{"session_id": s, "created_at": c, "session_size": "m", "has_analysis": False,
                 "action_items_by_type": None} for s, c in created]  # fmt: skip
    write_insights(conn, insights, (CHANGED_DAY, CHANGED_DAY), FETCHED)
    return changed


def snapshot_tables(conn: duckdb.DuckDBPyConnection) -> None:
    for table in DERIVED_TABLES:
        conn.execute(f"CREATE OR REPLACE TABLE bench.{table} AS SELECT * FROM devin.{table}")


def differing_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        table
        for table in DERIVED_TABLES
        for (n,) in [conn.execute(
            f"SELECT count(*) FROM ((FROM bench.{table} EXCEPT ALL FROM devin.{table}) "
            f"UNION ALL (FROM devin.{table} EXCEPT ALL FROM bench.{table}))"
        ).fetchone() or (0,)]
        if n
    ]  # fmt: skip


def print_costs(incremental: list[StepCost], whole: list[StepCost]) -> None:
    print(
        "| asset | incremental wall / CPU s (of which connecting) "
        "| whole rebuild wall / CPU s | ratio (wall, CPU) |"
    )
    print("|---|---|---|---|")
    for inc, full in zip(incremental, whole, strict=True):
        print(
            f"| {inc.asset} | {inc.seconds:.2f} / {inc.cpu_seconds:.2f} "
            f"({inc.connect_seconds:.2f}) "
            f"| {full.seconds:.2f} / {full.cpu_seconds:.2f} "
            f"| {inc.seconds / full.seconds:.3f}, {inc.cpu_seconds / full.cpu_seconds:.3f} |"
        )
    wall, cpu = sum(c.seconds for c in incremental), sum(c.cpu_seconds for c in incremental)
    connect = sum(c.connect_seconds for c in incremental)
    full_wall, full_cpu = sum(c.seconds for c in whole), sum(c.cpu_seconds for c in whole)
    print(
        f"| **all** | **{wall:.2f}** / {cpu:.2f} ({connect:.2f}) "
        f"| {full_wall:.2f} / {full_cpu:.2f} "
        f"| {wall / full_wall:.3f}, {cpu / full_cpu:.3f} |"
    )
    print(f"\nthe refreshes alone, without opening connections: {wall - connect:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="Snapshot versions (1M).")
    parser.add_argument("--share", type=float, default=0.05, help="Late changes in the day.")
    parser.add_argument("--verify", action="store_true", help="Compare both results.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="devin-incremental-bench-") as tmp:
        path = Path(tmp) / "warehouse.duckdb"
        build(path, args.rows)
        with closing(prepare(duckdb.connect(str(path)))) as conn:
            changed = reingest_one_day(conn, Path(tmp), args.share)
        through = CHANGED_DAY + timedelta(days=200)
        # Each step on a fresh connection, as each asset opens one: DuckDB's cache starts cold.
        incremental = refresh_derived_tables(path, SETTINGS, through)
        if args.verify:
            with closing(duckdb.connect(str(path))) as conn:
                conn.execute("CREATE SCHEMA bench")
                snapshot_tables(conn)
        whole = refresh_derived_tables(path, replace(SETTINGS, incremental_refresh=False), through)
        print(f"\n### {args.rows:,} versions; {CHANGED_DAY} re-ingested, {changed:,} changed")
        print_costs(incremental, whole)
        if args.verify:
            with closing(duckdb.connect(str(path))) as conn:
                differing = differing_tables(conn)
            print(f"\nidentical to the whole rebuild: {differing or 'yes'}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB, load {os.getloadavg()[0]:.1f}")
    print(f"Target: every derived table within {TARGET_SECONDS:g} s at 10,000,000 versions.")


if __name__ == "__main__":
    main()
