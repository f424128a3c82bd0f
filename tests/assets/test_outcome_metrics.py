"""outcome_metrics against an independent computation on random histories: real DuckDB,
real Dagster runs of `devin/sessions` and `devin/outcome_metrics`."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pytest

from devin_pipeline.ingest.insights import insight_row
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.insight_store import write_insights
from tests.snapshot_rows import DAY, T0, insert_versions, version

TEAMS = ("Devin – Payments", "Devin – Zürich", "Platform")  # noqa: RUF001
USERS = [f"user-{k}" for k in range(8)]
SIZES = ("xs", "s", "m", "l", "xl")
LOOKBACK = 2
PRICE = 1.75


def random_history(rng: random.Random) -> list[dict[str, Any]]:
    """Sessions over three months, each with 1..4 versions, PRs opening and merging, some
    sharing a PR url, some of service users (no user_id)."""
    versions = []
    for n in range(rng.randint(40, 90)):
        created = T0 + rng.randrange(0, 85 * DAY)
        fields = {
            "org_id": rng.choice(["org-a", "org-b", "org-c"]),
            "user_id": rng.choice([*USERS, None]),
            "category": rng.choice([None, "bug_fixing", "feature_development"]),
            "origin": rng.choice([None, "webapp", "slack", "api"]),
            "created_at": created,
        }
        acus, prs, at = 0.0, [], created
        for _ in range(rng.randint(1, 4)):
            acus += round(rng.uniform(0, 5), 2)
            if rng.random() < 0.4:
                prs.append({"pr_url": f"https://github.com/acme/r/pull/{rng.randrange(25)}",
                            "pr_state": "open"})  # fmt: skip
            prs = [{**p, "pr_state": rng.choice(["open", "merged", "closed"])} for p in prs]
            versions.append(version(f"s-{n}", at, acus_consumed=acus, pull_requests=prs, **fields))
            at += rng.randrange(60, 3 * DAY)
    return versions


def random_users(rng: random.Random) -> list[dict[str, Any]]:
    """Users in zero, one or two IdP groups (plus direct roles, which are no team)."""
    rows = []
    for k, user_id in enumerate(USERS[:-1]):  # the last one is named by sessions, not listed
        groups = rng.sample(TEAMS, 2 if k == 0 else rng.choice([0, 1, 1, 2]))
        roles = [{"org_id": "org-a", "role_id": "r", "role_name": "member", "role_type": "org",
                  "idp_group_name": g} for g in [None, *groups]]  # fmt: skip
        rows.append((user_id, roles))
    return rows


def latest(versions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for v in versions:
        if v["session_id"] not in out or v["updated_at"] > out[v["session_id"]]["updated_at"]:
            out[v["session_id"]] = v
    return out


def expected_outcomes(
    versions: list[dict[str, Any]],
    teams: dict[str, list[str]],
    sizes: dict[str, str],
    price: float | None,
) -> dict[tuple[date, str, str], tuple]:
    """The contract's definitions, computed in Python."""
    groups: dict[tuple[date, str, str], list[dict[str, Any]]] = defaultdict(list)
    for sid, v in latest(versions).items():
        created = datetime.fromtimestamp(v["created_at"], UTC)
        month = date(created.year, created.month, 1)
        values = {
            "enterprise": [""],
            "org": [v["org_id"]],
            "category": [v["category"] or "uncategorized"],
            "origin": [v["origin"] or "unknown"],
            "session_size": [sizes.get(sid, "unknown")],
            "team": teams.get(v["user_id"]) or ["no_team"],
        }
        for dimension, keys in values.items():
            for key in keys:
                groups[(month, dimension, key)].append(v)
    last_day = max(datetime.fromtimestamp(v["updated_at"], UTC).date() for v in versions)
    out = {}
    for key, members in groups.items():
        merged = [{p["pr_url"] for p in v["pull_requests"] if p["pr_state"] == "merged"}
                  for v in members]  # fmt: skip
        with_pr = sum(1 for m in merged if m)
        prs = len(set().union(*merged))
        acus = sum(v["acus_consumed"] for v in members)
        per_pr = acus / prs if prs else None
        month_end = (key[0].replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        out[key] = (
            len(members), with_pr, with_pr / len(members), prs, acus, per_pr,
            None if price is None else acus * price,
            None if price is None or per_pr is None else per_pr * price,
            (last_day - month_end).days > LOOKBACK,
        )  # fmt: skip
    return out


@pytest.mark.parametrize(("seed", "price"), [(1, None), (2, PRICE), (3, PRICE), (4, None)])
def test_outcome_metrics_equal_an_independent_computation(pipeline, seed, price):
    rng = random.Random(seed)
    versions = random_history(rng)
    users = random_users(rng)
    sessions = sorted({v["session_id"] for v in versions})
    sizes = {s: rng.choice(SIZES) for s in sessions if rng.random() < 0.7}
    created = {v["session_id"]: v["created_at"] for v in versions}
    with duckdb.connect(str(pipeline.duckdb_path)) as conn:
        prepare(conn)
        insert_versions(conn, versions)
        for user_id, roles in users:
            conn.execute(
                "INSERT INTO devin.users (user_id, kind, role_assignments, is_listed) "
                "VALUES (?, 'user', ?, true)",
                [user_id, roles],
            )
        rows = [insight_row({"session_id": s, "created_at": created[s], "session_size": size,
                             "analysis": None}, True) for s, size in sizes.items()]  # fmt: skip
        write_insights(conn, rows, (date(2025, 1, 1), date(2025, 12, 31)), datetime.now(UTC))
    pipeline.settings = replace(pipeline.settings, acu_price=price, lookback_days=LOOKBACK)
    assert pipeline.materialize("devin/sessions", "devin/outcome_metrics").success
    got = {
        (r[0], r[1], r[2]): r[3:]
        for r in pipeline.rows(
            "SELECT month, dimension, dimension_value, sessions_created, sessions_with_merged_pr,"
            " merge_rate, prs_merged, acus, acus_per_merged_pr, cost, cost_per_merged_pr,"
            " is_settled FROM devin.outcome_metrics"
        )
    }
    teams = {u: sorted({r["idp_group_name"] for r in roles} - {None}) for u, roles in users}
    expected = expected_outcomes(versions, teams, sizes, price)
    assert set(got) == set(expected)
    for key, values in expected.items():
        for mine, theirs in zip(got[key], values, strict=True):
            if isinstance(theirs, float):
                assert mine == pytest.approx(theirs, rel=1e-9, abs=1e-9), key
            else:
                assert mine == theirs, key
    dimensions = {k[1] for k in got}
    assert dimensions == {"enterprise", "org", "category", "origin", "session_size", "team"}
    assert any(v[5] is None for v in got.values()) and any(v[5] is not None for v in got.values())
    # A session counts once per group of its user: user-0's, in two groups, twice.
    team_total = sum(got[k][0] for k in got if k[1] == "team")
    counted = [max(1, len(teams.get(v["user_id"], []))) for v in latest(versions).values()]
    assert len(teams[USERS[0]]) == 2 and 2 in counted and team_total == sum(counted)
    assert any(k[2] == "unknown" and k[1] == "session_size" for k in got)
