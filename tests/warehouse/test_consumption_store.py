"""The reconciliation's session side, from hand-built snapshots: billing days start at 08:00."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest

from devin_pipeline.partitions import billing_day_of_entry
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.consumption_store import refresh_reconciliation, write_consumption
from devin_pipeline.warehouse.session_store import refresh_sessions
from tests.snapshot_rows import insert_versions, version

B = date(2025, 3, 1)
B_START = int(datetime(2025, 3, 1, 8, tzinfo=UTC).timestamp())


@pytest.fixture
def conn(tmp_path):
    with duckdb.connect(str(tmp_path / "billing.duckdb")) as connection:
        yield prepare(connection)


def billed(day: date, org: str, acus: float) -> dict:
    return {"billing_date": day, "scope": "org", "scope_id": org, "product": "devin", "acus": acus}


def test_0759_59_is_the_previous_billing_day_and_0800_its_own(conn):
    insert_versions(
        conn,
        [
            version("s1", B_START - 1, acus_consumed=2.0),  # 07:59:59: billing day B - 1
            version("s2", B_START, acus_consumed=3.0),  # 08:00:00: billing day B
            version("s2", B_START + 86_399, acus_consumed=3.5),  # B+1 07:59:59: still B
        ],
    )
    previous = date(2025, 2, 28)
    rows = [billed(previous, "org-a", 2.0), billed(B, "org-a", 3.0)]
    write_consumption(conn, rows, (previous, B), ["org"], datetime.now(UTC))
    refresh_sessions(conn)
    refresh_reconciliation(conn)
    got = conn.execute(
        "SELECT billing_date, billed_acus, session_acus, difference "
        "FROM devin.acu_reconciliation ORDER BY 1"
    ).fetchall()
    assert got == [(previous, 2.0, 2.0, 0.0), (B, 3.0, 3.5, 0.5)]


def test_days_are_utc_billing_days_whatever_the_session_time_zone(conn):
    conn.execute("SET TimeZone = 'Pacific/Auckland'")
    insert_versions(conn, [version("s1", B_START + 3600, acus_consumed=1.0)])
    write_consumption(conn, [billed(B, "org-a", 1.0)], (B, B), ["org"], datetime.now(UTC))
    refresh_sessions(conn)
    refresh_reconciliation(conn)
    assert conn.execute(
        "SELECT billing_date, difference FROM devin.acu_reconciliation"
    ).fetchall() == [(B, 0.0)]


@pytest.mark.parametrize(
    ("reading", "hour"), [("the day's 08:00 UTC start", 8), ("UTC midnight", 0), ("07:00 UTC", 7)]
)
def test_every_reading_of_an_entrys_date_is_the_same_billing_day(reading, hour):
    instant = int(datetime(2025, 3, 1, hour, tzinfo=UTC).timestamp())
    assert billing_day_of_entry(instant) == B, reading


def test_rewriting_a_day_replaces_only_its_rows_of_the_scopes_read(conn):
    day2 = date(2025, 3, 2)
    enterprise = {**billed(B, "", 9.0), "scope": "enterprise"}
    first = [billed(B, "org-a", 1.0), billed(day2, "org-a", 2.0), enterprise]
    write_consumption(conn, first, (B, day2), ["enterprise", "org"], datetime.now(UTC))
    write_consumption(conn, [billed(day2, "org-a", 5.0)], (day2, day2), ["org"], datetime.now(UTC))
    rows = conn.execute(
        "SELECT billing_date, scope, acus FROM devin.acu_consumption ORDER BY ALL"
    ).fetchall()
    assert rows == [(B, "enterprise", 9.0), (B, "org", 1.0), (day2, "org", 5.0)]
