"""Which days changed, so a derived table recomputes the keys they touch and not all history.

Writers of day-keyed tables log the days they commit (`log_days`) in the same transaction;
a derived table refreshes inside `refreshing`, which finds the days logged since its last
refresh (the temp table `changed_days(source, kind, day)`) or says to rebuild it whole: on
its first refresh, when its SQL or parameters changed (the fingerprint), when one of its
tables is missing, when a source was rebuilt whole, or when incremental refresh is off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import duckdb

from devin_pipeline.warehouse.connection import transaction
from devin_pipeline.warehouse.sql_files import load_sql, sql_text

Days = tuple[date | None, date | None]


@dataclass(frozen=True)
class Refresh:
    """How a derived table is brought up to date: whole, or from `changed_days`; and the first
    and last snapshot day at its last refresh and now, for tables bounded by them."""

    full: bool
    days_before: Days
    days_now: Days


def log_days(
    conn: duckdb.DuckDBPyConnection,
    schema: str,
    source: str,
    first: date,
    last: date,
    kind: str = "versions",
) -> None:
    """Logs days [first, last] of `source` as changed; call it inside the writing transaction."""
    conn.execute(
        load_sql("insert_changed_days", schema),
        {
            "change_id": next_change_id(conn, schema),
            "source": source,
            "kind": kind,
            "first": first,
            "last": last,
        },
    )


def log_rebuilt(conn: duckdb.DuckDBPyConnection, schema: str, source: str) -> None:
    """Logs that `source` was rebuilt whole: every table derived from it rebuilds whole too."""
    conn.execute(
        load_sql("insert_rebuilt_change", schema),
        {"change_id": next_change_id(conn, schema), "source": source},
    )


def next_change_id(conn: duckdb.DuckDBPyConnection, schema: str) -> int:
    """A new change id, greater than every one logged before."""
    row = conn.execute(f"SELECT nextval('{schema}.change_ids')").fetchone()
    assert row is not None
    return int(row[0])


def fingerprint(*statements: str, **parameters: object) -> str:
    """What a derived table was computed with: its SQL files' text and its parameters."""
    digest = hashlib.sha256()
    for name in statements:
        digest.update(sql_text(name).encode())
    digest.update(repr(sorted(parameters.items())).encode())
    return digest.hexdigest()[:16]


@contextmanager
def refreshing(
    conn: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    *,
    sources: Sequence[str],
    tables: Sequence[str],
    fingerprint: str,
    incremental: bool,
) -> Iterator[Refresh]:
    """One transaction that brings `table` (and the `tables` it writes) up to date.

    On an incremental refresh `changed_days` holds the days of `sources` logged since the
    last one; the state records the newest change seen, so each change is applied once.
    """
    with transaction(conn):
        through = _scalar(conn, f"SELECT coalesce(max(change_id), 0) FROM {schema}.change_log")
        state = conn.execute(load_sql("select_derived_state", schema), {"table": table}).fetchone()
        since = int(state[0]) if state else through
        conn.execute(
            load_sql("create_changed_days", schema),
            {"since": since, "through": through, "sources": list(sources)},
        )
        full = (
            not incremental
            or state is None
            or state[1] != fingerprint
            or not all(_exists(conn, schema, name) for name in tables)
            or bool(_scalar(conn, "SELECT count(*) FROM changed_days WHERE kind = 'all'"))
        )
        now = conn.execute(load_sql("select_snapshot_day_range", schema)).fetchone()
        first, last = now if now else (None, None)
        before: Days = (state[2], state[3]) if state else (None, None)
        yield Refresh(full=full, days_before=before, days_now=(first, last))
        conn.execute(
            load_sql("upsert_derived_state", schema),
            {
                "table": table,
                "change_id": through,
                "fingerprint": fingerprint,
                "first_day": first,
                "last_day": last,
                "rebuilt": full,
            },
        )
    conn.execute("DROP TABLE IF EXISTS changed_days")


# created_at within the instants refresh_day_range() (or another range of days) returns.
CREATED_IN_RANGE = "created_at >= $created_from AND created_at < $created_to"


def refresh_day_range(conn: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The instants refresh_days span, [$created_from, $created_to): constant bounds that let
    DuckDB's zone maps skip the rows of other days."""
    row = conn.execute(load_sql("select_refresh_day_range", "")).fetchone()
    first, last = row if row else (None, None)
    return {"created_from": first, "created_to": last}


def delete_refresh_days(table: str, day_column: str, schema: str) -> str:
    """The DELETE of `table`'s rows on refresh_days, before an incremental refresh refills them."""
    return load_sql("delete_refresh_day_rows", schema, table=table, day_column=day_column)


def _exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = $schema AND table_name = $table",
        {"schema": schema, "table": table},
    ).fetchone()
    return bool(found and found[0])


def _scalar(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
