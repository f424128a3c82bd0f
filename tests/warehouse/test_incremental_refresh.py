"""An incremental refresh leaves every derived table exactly as a whole rebuild would.

Two DuckDB files receive the same random history through the real writers (stage files merged
by SnapshotStore, write_consumption, write_insights, the listings): late versions inside a
session's history, versions replaced under their key with another org, fewer PRs or no ACUs,
orgs moving with a session's latest version, an earlier day backfilled, billed days and
insights rewritten with rows gone, teams renamed. After each round one file refreshes
incrementally, the other rebuilds whole; every table must match row for row, and the
incremental one must really have refreshed incrementally.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from devin_pipeline.ingest.stage_file import StageFile
from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.consumption_store import write_consumption
from devin_pipeline.warehouse.derived_tables import DERIVED_TABLES, refresh_derived_tables
from devin_pipeline.warehouse.insight_store import write_insights
from devin_pipeline.warehouse.organization_store import (
    rebuild_organizations,
    write_organization_listing,
)
from devin_pipeline.warehouse.reported_metrics_store import write_reported_metrics
from devin_pipeline.warehouse.snapshot_store import SnapshotStore
from devin_pipeline.warehouse.user_store import MemberListing, rebuild_users, write_member_listing

FIRST = date(2025, 2, 18)  # 24 days: across a month's end and four Monday-started weeks
DAYS = [FIRST + timedelta(days=i) for i in range(24)]
ORGS = ["org-a", "org-b", "org-c"]
USERS = ["u1", "u2", "u3", "u4", "u5"]
PRS = [f"https://github.com/acme/app/pull/{n}" for n in range(6)]  # shared between sessions
SETTINGS = Settings(acu_price=2.5, lookback_days=3)


def epoch(day: date, seconds: int = 0) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()) + seconds


def day_of(updated_at: int) -> date:
    return datetime.fromtimestamp(updated_at, UTC).date()


class History:
    """Random sessions, each observed a few times over a few days, keyed by (id, updated_at)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.versions: dict[tuple[str, int], dict[str, Any]] = {}
        for n in range(45):
            self._session(f"s{n}", epoch(rng.choice(DAYS), rng.randrange(86_400)))

    def _session(self, session_id: str, created: int) -> None:
        rng, at, acus = self.rng, created, 0.0
        org, who = rng.choice(ORGS), rng.choice([*USERS, None, "svc"])
        for _ in range(rng.randint(1, 5)):
            at += rng.choice([0, 1, 600, 7_200, 40_000, 90_000])  # the same second twice too
            acus += rng.choice([0.0, 0.5, 1.25, 3.0])
            if rng.random() < 0.15:
                org = rng.choice(ORGS)  # the session moves: every earlier day follows it
            self.versions[(session_id, at)] = self.item(session_id, created, at, org, who, acus)

    def item(self, sid: str, created: int, at: int, org: str, who: str | None, acus: float):
        rng = self.rng
        prs = [
            {"pr_url": url, "pr_state": rng.choice(["open", "merged", "closed"])}
            for url in rng.sample(PRS, rng.choice([0, 0, 1, 2]))
        ]
        return {
            "session_id": sid,
            "status": "running",
            "org_id": org,
            "user_id": who if who not in (None, "svc") else None,
            "service_user_id": "svc-1" if who == "svc" else None,
            "origin": rng.choice(["webapp", "slack", None]),
            "category": rng.choice(["bug_fixing", "feature_development", None]),
            "acus_consumed": None if rng.random() < 0.1 else acus,
            "pull_requests": prs,
            "created_at": created,
            "updated_at": at,
        }

    def on(self, day: date) -> list[dict[str, Any]]:
        return [v for (_, at), v in sorted(self.versions.items()) if day_of(at) == day]

    def late_changes(self, day: date) -> None:
        """Versions a first walk of `day` missed, and versions re-listed with other values."""
        rng = self.rng
        for (sid, at), old in list(self.versions.items()):
            if day_of(at) != day:
                continue
            if rng.random() < 0.5:  # re-listed under the same key with other values
                self.versions[(sid, at)] = old | {
                    "org_id": rng.choice(ORGS),
                    "pull_requests": rng.choice([[], old["pull_requests"][:-1]]),
                    "acus_consumed": None if rng.random() < 0.3 else old["acus_consumed"],
                    "created_at": old["created_at"] - rng.choice([0, 0, 86_400]),
                }
            if rng.random() < 0.4 and at % 86_400 > 10:  # an earlier version seen only now
                late = old | {"updated_at": at - rng.randint(1, at % 86_400)}
                late["acus_consumed"] = max(0.0, (old["acus_consumed"] or 1.0) - 0.25)
                self.versions[(sid, late["updated_at"])] = late


class Warehouse:
    """One DuckDB file written through the pipeline's own writers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stage_dir = path.parent / f"{path.stem}-stage"
        self.stage_dir.mkdir()
        self.conn = prepare(duckdb.connect(str(path)))
        self.store = SnapshotStore(self.conn)

    def write_day(self, day: date, items: list[dict[str, Any]], fetched: datetime) -> None:
        stage = StageFile(self.stage_dir / f"{day}.tsv")
        stage.append(items, fetched)
        stage.close()
        self.store.commit_day(day, stage.path if items else None)
        stage.remove()

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        return sorted(self.conn.execute(f"SELECT * FROM devin.{table}").fetchall(), key=repr)


def write_sources(wh: Warehouse, rng: random.Random, days: list[date], round_: int) -> None:
    """Billed days, insights, Devin's own figures and the listings, rewritten each round."""
    fetched = datetime(2025, 4, 1, tzinfo=UTC) + timedelta(hours=round_)
    billed = [
        {"billing_date": d, "scope": scope, "scope_id": sid, "product": product, "acus": acus}
        for d in days
        for scope, sid in [("enterprise", ""), *(("org", o) for o in ORGS)]
        for product in ("all", "devin")
        if rng.random() < 0.85  # a rewrite can drop rows
        for acus in [round(rng.uniform(0, 9), 2)]
    ]
    write_consumption(wh.conn, billed, (days[0], days[-1]), ["enterprise", "org"], fetched)
    sessions = wh.conn.execute(
        "SELECT session_id, created_at FROM devin.session_snapshots "
        "WHERE CAST(created_at AS DATE) BETWEEN $first AND $last GROUP BY ALL ORDER BY ALL",
        {"first": days[0], "last": days[-1]},
    ).fetchall()
    insights = [
        {"session_id": sid, "created_at": created, "session_size": rng.choice(["s", "m", "l"]),
         "has_analysis": False, "programming_languages": [], "tools_and_frameworks": [],
         "action_items_by_type": None}
        for sid, created in sessions if rng.random() < 0.7
    ]  # fmt: skip
    write_insights(wh.conn, insights, (days[0], days[-1]), fetched)
    reported = [
        {"period": "day", "period_start": d, "metric": m, "dimension": "", "value": v}
        for d in days
        for m in ("dau", "sessions_created")
        for v in [float(rng.randint(0, 6))]
    ]
    write_reported_metrics(wh.conn, reported, (days[0], days[-1]), fetched)
    teams = ["platform", "payments"] if round_ < 5 else ["platform", "growth"]
    people = [
        {"user_id": u, "name": f"{u} (round {round_})",
         "role_assignments": [{"role": {"role_id": "r"}, "org_id": "org-a",
                               "idp_group_name": teams[USERS.index(u) % 2]}]}
        for u in USERS if u != "u5" or round_ % 2
    ]  # fmt: skip
    write_member_listing(wh.conn, MemberListing(users=people), fetched, personal=True)
    orgs = [
        {"org_id": o, "name": f"{o} {round_ % 2}", "updated_at": round_, "max_cycle_acu_limit": 50}
        for o in ORGS[: 2 + round_ % 2]
    ]
    write_organization_listing(wh.conn, orgs, fetched)
    rebuild_organizations(wh.conn)
    rebuild_users(wh.conn, personal=True)


def rounds() -> list[tuple[list[date], list[date]]]:
    """(snapshot days written, source days rewritten) per round."""
    return [
        (DAYS[6:16], DAYS[6:16]),  # the first backfill
        ([DAYS[9], DAYS[13]], [DAYS[9]]),  # two days again, with late changes
        (DAYS[16:20], DAYS[16:20]),  # new days
        (DAYS[2:6], DAYS[2:6]),  # an earlier backfill: the first snapshot day moves
        ([], DAYS[10:14]),  # sources only; the teams change
        ([DAYS[19], *DAYS[20:23]], DAYS[19:23]),  # the last day again, and new ones
    ]


@pytest.mark.parametrize("seed", range(6))
def test_incremental_refresh_equals_a_rebuild(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    history = History(rng)
    incremental, rebuilt = Warehouse(tmp_path / "inc.duckdb"), Warehouse(tmp_path / "all.duckdb")
    through: date | None = None  # the latest snapshot day written: complete through it
    for number, (snapshot_days, source_days) in enumerate(rounds(), start=1):
        if number in (2, 6):
            for day in snapshot_days[:1]:
                history.late_changes(day)
        fetched = datetime(2025, 4, 1, tzinfo=UTC) + timedelta(hours=number)
        source_seed = rng.random()
        for wh in (incremental, rebuilt):
            for day in snapshot_days:
                wh.write_day(day, history.on(day), fetched)
            write_sources(wh, random.Random(source_seed), source_days, number)
        through = max([through, *snapshot_days]) if through else max(snapshot_days)
        refresh_derived_tables(incremental.path, SETTINGS, through)
        refresh_derived_tables(rebuilt.path, replace(SETTINGS, incremental_refresh=False), through)
        for table in DERIVED_TABLES:
            assert incremental.rows(table) == rebuilt.rows(table), f"{table}, round {number}"
        state = "SELECT table_name, rebuilt FROM devin.derived_state"
        whole = dict(incremental.conn.execute(state).fetchall())
        expected = dict.fromkeys(whole, number == 1)
        if number == 5:
            expected["outcome_metrics"] = True  # the team cohorts depend on every person
        assert whole == expected, f"round {number}"
    assert incremental.rows("sessions"), "the history reached the tables"
