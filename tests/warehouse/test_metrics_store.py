"""The metrics tables, rebuilt from hand-built snapshots, against the contract's reference."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from devin_pipeline.warehouse import metrics_store, session_store
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.metrics_store import (
    CATEGORY_DAILY_METRICS,
    METRICS_TABLES,
    ORG_DAILY_METRICS,
    ORIGIN_DAILY_METRICS,
    USER_DAILY_METRICS,
    MetricsTable,
    refresh_daily_metrics,
)
from devin_pipeline.warehouse.session_store import refresh_sessions
from tests import metrics_reference as reference
from tests.snapshot_rows import DAY, T0, insert_versions, version

D0 = date(2025, 3, 1)
D1 = date(2025, 3, 2)
D2 = date(2025, 3, 3)
HOUR = 3600


@pytest.fixture
def conn(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "metrics.duckdb")) as connection:
        yield prepare(connection)


def rebuild(conn, versions) -> dict[MetricsTable, dict]:
    """Inserts the versions, rebuilds everything, returns both tables in reference form."""
    insert_versions(conn, versions)
    refresh_sessions(conn)
    refresh_daily_metrics(conn)
    return {table: read_table(conn, table) for table in METRICS_TABLES}


def read_table(conn, table: MetricsTable) -> dict:
    cursor = conn.execute(f"SELECT * FROM {table.qualified_name}")
    columns = [d[0] for d in cursor.description]
    result = {}
    for row in cursor.fetchall():
        record = dict(zip(columns, row, strict=True))
        key = (record.pop("metric_date"), record.pop(table.group_column))
        for label in table.labels:
            record.pop(label.name)
        assert key not in result, f"two rows for {key}"
        result[key] = record
    return result


def assert_matches_reference(tables: dict, versions) -> None:
    expected = {
        ORG_DAILY_METRICS: reference.org_daily_metrics(versions),
        CATEGORY_DAILY_METRICS: reference.category_daily_metrics(versions),
        USER_DAILY_METRICS: reference.user_daily_metrics(versions),
        ORIGIN_DAILY_METRICS: reference.origin_daily_metrics(versions),
    }
    for table, rows in tables.items():
        assert rows.keys() == expected[table].keys(), table.name
        for key, metrics in rows.items():
            want = expected[table][key]
            assert metrics == {**want, "acus_consumed": pytest.approx(want["acus_consumed"])}, key


def test_acus_of_a_session_observed_several_times_split_across_days(conn):
    created = T0 + 10 * HOUR
    versions = [
        version("s1", created, acus_consumed=2.0),
        version("s1", T0 + 20 * HOUR, created_at=created, acus_consumed=5.0),
        version("s1", T0 + DAY + 9 * HOUR, created_at=created, acus_consumed=9.5),
    ]
    tables = rebuild(conn, versions)
    org = tables[ORG_DAILY_METRICS]
    assert org[(D0, "org-a")]["acus_consumed"] == pytest.approx(5.0)
    assert org[(D1, "org-a")]["acus_consumed"] == pytest.approx(4.5)
    assert org[(D0, "org-a")]["sessions_updated"] == org[(D1, "org-a")]["sessions_updated"] == 1
    assert [org[(day, "org-a")]["sessions_created"] for day in (D0, D1)] == [1, 0]
    assert_matches_reference(tables, versions)


def test_session_is_grouped_by_its_latest_category_and_org(conn):
    versions = [
        version("s1", T0 + HOUR, org_id="org-old", category=None, acus_consumed=1.0),
        version("s1", T0 + DAY + HOUR, org_id="org-new", category="bug_fixing", acus_consumed=3.0),
    ]
    tables = rebuild(conn, versions)
    assert set(tables[CATEGORY_DAILY_METRICS]) == {(D0, "bug_fixing"), (D1, "bug_fixing")}
    assert set(tables[ORG_DAILY_METRICS]) == {(D0, "org-new"), (D1, "org-new")}
    assert_matches_reference(tables, versions)


def test_null_category_is_grouped_as_uncategorized(conn):
    versions = [version("s1", T0 + HOUR, category=None), version("s2", T0 + 2 * HOUR)]
    tables = rebuild(conn, versions)
    assert tables[CATEGORY_DAILY_METRICS][(D0, "uncategorized")]["sessions_updated"] == 2
    assert_matches_reference(tables, versions)


def test_service_user_sessions_count_as_sessions_but_not_as_users(conn):
    versions = [
        version("s1", T0 + HOUR, user_id=None),
        version("s2", T0 + 2 * HOUR, user_id="alice"),
        version("s3", T0 + 3 * HOUR, user_id="alice"),
    ]
    day = rebuild(conn, versions)[ORG_DAILY_METRICS][(D0, "org-a")]
    assert (day["sessions_updated"], day["active_users"]) == (3, 1)


def test_pr_counts_as_opened_on_its_first_day_and_merged_on_its_first_merged_day(conn):
    url = "https://github.com/acme/repo/pull/1"
    opened, merged = [{"pr_url": url, "pr_state": "open"}], [{"pr_url": url, "pr_state": "merged"}]
    versions = [
        version("s1", T0 + HOUR, pull_requests=opened),
        version("s1", T0 + DAY + HOUR, pull_requests=opened),
        version("s1", T0 + 2 * DAY + HOUR, pull_requests=merged),
        # The same PR in another session of the org counts once; in another org, again.
        version("s2", T0 + 2 * DAY + 2 * HOUR, pull_requests=merged),
        version("s3", T0 + 2 * DAY + 3 * HOUR, org_id="org-b", pull_requests=merged),
    ]
    org = rebuild(conn, versions)[ORG_DAILY_METRICS]

    def prs(day, org_id):
        return org[(day, org_id)]["prs_opened"], org[(day, org_id)]["prs_merged"]

    assert [prs(day, "org-a") for day in (D0, D1, D2)] == [(1, 0), (0, 0), (0, 1)]
    assert prs(D2, "org-b") == (1, 1)
    assert_matches_reference({ORG_DAILY_METRICS: org}, versions)


def test_session_created_on_a_day_without_updates_gets_a_row_for_that_day(conn):
    versions = [version("s1", T0 + DAY + HOUR, created_at=T0 + HOUR, acus_consumed=2.0)]
    org = rebuild(conn, versions)[ORG_DAILY_METRICS]
    assert org[(D0, "org-a")] == {
        "sessions_created": 1,
        "sessions_updated": 0,
        "active_users": 0,
        "acus_consumed": 0.0,
        "prs_opened": 0,
        "prs_merged": 0,
    }
    assert org[(D1, "org-a")]["acus_consumed"] == 2.0


def test_dates_are_utc_whatever_the_session_time_zone(conn):
    # In Tokyo (+09:00) s1's update and both creations would fall on the next day.
    pr = [{"pr_url": "https://github.com/acme/repo/pull/2", "pr_state": "open"}]
    versions = [
        version("s1", T0 + 23 * HOUR + 30 * 60, pull_requests=pr),
        version("s2", T0 + DAY + 30 * 60, created_at=T0 + 20 * HOUR),
    ]
    insert_versions(conn, versions)
    conn.execute("SET TimeZone = 'Asia/Tokyo'")
    refresh_sessions(conn)
    refresh_daily_metrics(conn)
    tables = {table: read_table(conn, table) for table in METRICS_TABLES}
    assert tables[ORG_DAILY_METRICS][(D0, "org-a")]["sessions_updated"] == 1
    assert_matches_reference(tables, versions)


def test_rebuild_is_idempotent_and_returns_row_counts(conn):
    versions = [version("s1", T0 + HOUR), version("s2", T0 + DAY + HOUR, category="other")]
    insert_versions(conn, versions)
    assert refresh_sessions(conn) == 2
    first = refresh_daily_metrics(conn)
    assert refresh_daily_metrics(conn) == first == dict.fromkeys(METRICS_TABLES, 2)


def test_sessions_have_the_snapshots_columns_and_their_latest_rows(conn):
    versions = [
        version("s1", T0 + HOUR, acus_consumed=1.0),
        version("s1", T0 + DAY + HOUR, acus_consumed=3.0, category="bug_fixing"),
        version("s2", T0 + 2 * HOUR),
    ]
    insert_versions(conn, versions)
    assert refresh_sessions(conn) == 2
    columns = "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = $table"
    # sessions and snapshots are created from one DDL (create_version_table.sql): same columns.
    assert (
        conn.execute(columns, {"table": "sessions"}).fetchall()
        == conn.execute(columns, {"table": "session_snapshots"}).fetchall()
    )
    latest = conn.execute(
        "SELECT * FROM devin.session_snapshots WHERE updated_at = to_timestamp($s1) "
        "OR updated_at = to_timestamp($s2) ORDER BY session_id",
        {"s1": T0 + DAY + HOUR, "s2": T0 + 2 * HOUR},
    ).fetchall()
    assert conn.execute("SELECT * FROM devin.sessions ORDER BY session_id").fetchall() == latest
    assert [row[0] for row in latest] == ["s1", "s2"]


def test_a_failed_sessions_rebuild_leaves_the_table_as_it_was(conn, monkeypatch):
    insert_versions(conn, [version("s1", T0 + HOUR)])
    refresh_sessions(conn)
    before = conn.execute("SELECT * FROM devin.sessions").fetchall()
    insert_versions(conn, [version("s2", T0 + DAY + HOUR)])
    real_load_sql = session_store.load_sql

    def broken_insert(name, *args, **identifiers):
        if name == "insert_latest_versions":
            return "INSERT INTO devin.sessions SELECT no_such_column FROM devin.session_snapshots"
        return real_load_sql(name, *args, **identifiers)

    monkeypatch.setattr(session_store, "load_sql", broken_insert)
    with pytest.raises(duckdb.BinderException):
        refresh_sessions(conn)
    assert conn.execute("SELECT * FROM devin.sessions").fetchall() == before
    monkeypatch.undo()
    assert refresh_sessions(conn) == 2, "the change a failed refresh did not apply is kept"


def test_a_failed_rebuild_leaves_both_tables_as_they_were(conn, monkeypatch):
    insert_versions(conn, [version("s1", T0 + HOUR)])
    refresh_sessions(conn)
    refresh_daily_metrics(conn)
    before = {table: read_table(conn, table) for table in METRICS_TABLES}
    insert_versions(conn, [version("s2", T0 + DAY + HOUR)])
    refresh_sessions(conn)
    real_sql = MetricsTable.sql

    def broken_category_insert(self, name):
        if self == CATEGORY_DAILY_METRICS and name == "insert_daily_metrics":
            return "SELECT no_such_column FROM daily_group_metrics"
        return real_sql(self, name)

    monkeypatch.setattr(metrics_store.MetricsTable, "sql", broken_category_insert)
    with pytest.raises(duckdb.BinderException):
        refresh_daily_metrics(conn)
    assert {table: read_table(conn, table) for table in METRICS_TABLES} == before


@pytest.mark.parametrize("seed", range(8))
def test_random_histories_match_the_reference_and_conserve_acus(conn, seed):
    versions = random_versions(random.Random(seed), sessions=60)
    tables = rebuild(conn, versions)
    assert_matches_reference(tables, versions)
    latest = {h[-1]["session_id"]: h[-1] for h in reference.session_histories(versions).values()}
    for table, group_of in (
        (ORG_DAILY_METRICS, lambda v: v["org_id"]),
        (CATEGORY_DAILY_METRICS, lambda v: v["category"] or "uncategorized"),
    ):
        spent = defaultdict(float)
        for session in latest.values():
            spent[group_of(session)] += session["acus_consumed"]
        attributed = defaultdict(float)
        for (_, group), metrics in tables[table].items():
            attributed[group] += metrics["acus_consumed"]
        assert attributed == pytest.approx(dict(spent), rel=1e-9)


def random_versions(rng: random.Random, sessions: int) -> list[dict]:
    """Sessions observed 1-6 times over ~10 days; orgs, categories and users sometimes change,
    and now and then acus_consumed goes down (the contract attributes the negative delta)."""
    categories = [None, "bug_fixing", "feature_development", "other"]
    prs = [f"https://github.com/acme/repo/pull/{n}" for n in range(12)]
    versions = []
    for n in range(sessions):
        created = T0 + rng.randrange(10 * DAY)
        updated, acus, pull_requests = created, 0.0, []
        for _ in range(rng.randint(1, 6)):
            updated += rng.randrange(1, 36 * HOUR)
            acus = max(0.0, acus + rng.choice([0.0, rng.uniform(0, 20), rng.uniform(-5, 0)]))
            if rng.random() < 0.3:
                state = rng.choice(["open", "open", "merged", "closed"])
                pull_requests = [*pull_requests, {"pr_url": rng.choice(prs), "pr_state": state}]
            versions.append(
                version(
                    f"s{n}",
                    updated,
                    created_at=created,
                    org_id=rng.choice(["org-a", "org-b", "org-c"]),
                    category=rng.choice(categories),
                    user_id=rng.choice([None, "alice", "bob", "carol"]),
                    acus_consumed=round(acus, 3),
                    pull_requests=pull_requests,
                )
            )
    return versions
