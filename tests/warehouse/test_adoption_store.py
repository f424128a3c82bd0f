"""`users` and `seat_usage` rebuilt from hand-built listings and snapshots in a real DuckDB
file: the edge cases of a seat (CONTRACT.md, `devin/seat_usage`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from devin_pipeline.warehouse.adoption_store import rebuild_seat_usage
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.session_store import refresh_sessions
from devin_pipeline.warehouse.user_store import MemberListing, rebuild_users, write_member_listing
from tests.snapshot_rows import DAY, T0, insert_versions, version

AS_OF = T0 + 100 * DAY + 3600  # 2025-06-09 01:00 UTC: the freshest version
AS_OF_DATE = date(2025, 6, 9)
ROLE = {"role": {"role_id": "r1", "role_name": "Member", "role_type": "org"}, "org_id": "org-a"}


def person(user_id: str) -> dict:
    return {"user_id": user_id, "name": f"Name {user_id}", "email": f"{user_id}@acme.test",
            "role_assignments": [ROLE]}  # fmt: skip


@pytest.fixture
def conn(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "seats.duckdb")) as connection:
        yield prepare(connection)


def build(conn, personal: bool = True, idle_days: int = 30) -> dict[str, tuple]:
    listing = MemberListing(users=[person(u) for u in ("recent", "lapsed", "never", "busy")])
    write_member_listing(conn, listing, datetime(2025, 6, 1, tzinfo=UTC), personal)
    insert_versions(conn, [
        version("s-recent", AS_OF - 29 * DAY, user_id="recent", acus_consumed=2.0),
        version("s-lapsed", AS_OF - 31 * DAY, user_id="lapsed", acus_consumed=5.0),
        version("s-left", AS_OF - 3 * DAY, user_id="left", acus_consumed=1.0),
        version("s-busy", AS_OF - 95 * DAY, user_id="busy", acus_consumed=1.0),
        version("s-busy", AS_OF - 20 * DAY, user_id="busy", acus_consumed=4.0),
        version("s-busy", AS_OF, user_id="busy", acus_consumed=10.0),
        version("s-busy2", AS_OF - 6 * DAY, user_id="busy", acus_consumed=0.5),
        version("s-svc", AS_OF, user_id=None, acus_consumed=1.0),
    ])  # fmt: skip
    rebuild_users(conn, personal)
    refresh_sessions(conn)  # keeps version_acus, which seat_usage reads
    rebuild_seat_usage(conn, idle_days)
    cursor = conn.execute("SELECT * FROM devin.seat_usage")
    columns = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def test_each_kind_of_seat(conn):
    seats = build(conn)
    assert set(seats) == {"recent", "lapsed", "never", "busy", "left"}, "people only, all kept"
    assert {s["as_of_date"] for s in seats.values()} == {AS_OF_DATE}
    recent, lapsed, never = seats["recent"], seats["lapsed"], seats["never"]
    assert (recent["status"], recent["sessions_30d"], recent["acus_30d"]) == ("active", 1, 2.0)
    assert recent["last_active_date"] == AS_OF_DATE - timedelta(days=29)
    assert (lapsed["status"], lapsed["sessions_30d"], lapsed["sessions_90d"]) == ("idle", 0, 1)
    assert lapsed["acus_30d"] == 0.0
    assert (never["status"], never["sessions_90d"], never["first_active_date"]) == (
        "never_used", 0, None)  # fmt: skip
    assert never["is_listed"] and never["user_name"] == "Name never"
    left = seats["left"]
    assert (left["is_listed"], left["user_name"], left["status"]) == (False, None, "active")
    busy = seats["busy"]
    assert (busy["sessions_7d"], busy["sessions_30d"], busy["sessions_90d"]) == (2, 2, 2)
    assert busy["first_active_date"] == AS_OF_DATE - timedelta(days=95)
    assert busy["acus_30d"] == pytest.approx(9.0 + 0.5), "deltas: 4-1 and 10-4, and 0.5"


def test_the_idle_threshold_is_a_setting(conn):
    seats = build(conn, idle_days=32)
    assert seats["lapsed"]["status"] == "active"


def test_without_personal_data_no_name(conn):
    seats = build(conn, personal=False)
    assert {s["user_name"] for s in seats.values()} == {None}
    stored = conn.execute("SELECT name, email, raw FROM devin.member_listings").fetchall()
    assert all(n is None and e is None and "acme.test" not in (r or "") for n, e, r in stored)
