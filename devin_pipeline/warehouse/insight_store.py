"""Writes partitions of `session_insights` and derives `outcome_metrics`.

A run's days are replaced whole in one transaction: insights are a current view (an
analysis generated late replaces the row that had none), and a failed run changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from devin_pipeline.ingest.insights import without_free_text
from devin_pipeline.warehouse.change_log import (
    delete_refresh_days,
    fingerprint,
    log_days,
    refreshing,
)
from devin_pipeline.warehouse.connection import count_rows, registered, transaction
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

_ROWS = pa.schema(
    [
        ("session_id", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
        ("session_size", pa.string()),
        ("num_user_messages", pa.int64()),
        ("num_devin_messages", pa.int64()),
        ("has_analysis", pa.bool_()),
        ("analysis_category", pa.string()),
        ("analysis_confidence", pa.float64()),
        ("programming_languages", pa.list_(pa.string())),
        ("tools_and_frameworks", pa.list_(pa.string())),
        ("issues", pa.int32()),
        ("action_items_by_type", pa.map_(pa.string(), pa.int32())),
        ("analysis", pa.string()),
    ]
)


def write_insights(
    conn: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    days: tuple[date, date],
    fetched_at: datetime,
    schema: str = DEFAULT_SCHEMA,
    personal: bool = True,
) -> int:
    """Replaces the partitions `days` (first, last) with `rows`; returns the rows written.
    Without `personal`, analyses other days kept from earlier runs lose their free text too."""
    create_insights_table(conn, schema)
    unique = {r["session_id"]: r for r in rows}
    for row in unique.values():
        counts = row["action_items_by_type"]
        row["action_items_by_type"] = None if counts is None else list(counts.items())
    first, last = days
    with registered(conn, "insight_rows", list(unique.values()), _ROWS), transaction(conn):
        conn.execute(
            load_sql("delete_session_insights_days", schema), {"first": first, "last": last}
        )
        conn.execute(load_sql("insert_session_insights", schema), {"fetched_at": fetched_at})
        log_days(conn, schema, "session_insights", first, last)
        if not personal:
            _scrub_earlier_analyses(conn, schema)
    return len(unique)


def _scrub_earlier_analyses(conn: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Reduces analyses stored while personal data was on to their counts and labels."""
    found = conn.execute(load_sql("select_insights_with_free_text", schema)).fetchall()
    rows = [
        {
            "session_id": sid,
            "analysis": orjson.dumps(without_free_text(orjson.loads(text))).decode(),
        }
        for sid, text in found
    ]
    if rows:
        with registered(conn, "scrubbed_rows", rows, _SCRUBBED):
            conn.execute(load_sql("update_insights_analysis", schema))


_SCRUBBED = pa.schema([("session_id", pa.string()), ("analysis", pa.string())])


def create_insights_table(conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA) -> None:
    conn.execute(load_sql("create_session_insights_table", schema))


OUTCOME_SQL = (
    "create_outcome_metrics_table",
    "insert_outcome_metrics",
    "create_refresh_months",
    "select_refresh_month_range",
    "update_outcome_labels",
)
REFRESH_MONTHS = (
    "s.created_at >= $created_from AND s.created_at < $created_to "
    "AND CAST(date_trunc('month', s.created_at) AS DATE) IN (SELECT day FROM refresh_days)"
)


def refresh_outcomes(
    conn: duckdb.DuckDBPyConnection,
    price: float | None,
    lookback_days: int,
    schema: str = DEFAULT_SCHEMA,
    incremental: bool = True,
) -> int:
    """Brings `<schema>.outcome_metrics` up to date (one transaction); returns its rows.

    Incrementally, only the months of the changed sessions and insights are recounted; a
    change of anyone's IdP groups (the team cohorts), the price or the lookback rebuilds all.
    """
    create_insights_table(conn, schema)  # sessions without insights are `unknown` sized
    row = conn.execute(load_sql("select_team_digest", schema)).fetchone()
    params = {"price": price, "lookback": lookback_days}
    with refreshing(
        conn, schema, "outcome_metrics",
        sources=["sessions", "session_insights"], tables=["outcome_metrics"],
        fingerprint=fingerprint(*OUTCOME_SQL, teams=row[0] if row else None, **params),
        incremental=incremental,
    ) as refresh:  # fmt: skip
        if refresh.full:
            conn.execute(load_sql("create_outcome_metrics_table", schema))
            scope, bounds = "true", {}
        else:
            conn.execute(load_sql("create_refresh_months", schema))
            conn.execute(delete_refresh_days(f"{schema}.outcome_metrics", "month", schema))
            [(first, after)] = conn.execute(
                load_sql("select_refresh_month_range", schema)
            ).fetchall()
            scope, bounds = REFRESH_MONTHS, {"created_from": first, "created_to": after}
        sql = load_sql("insert_outcome_metrics", schema, month_scope=scope)
        conn.execute(sql, {**params, **bounds})
        conn.execute(load_sql("update_outcome_labels", schema), {"lookback": lookback_days})
    return count_rows(conn, f"{schema}.outcome_metrics")
