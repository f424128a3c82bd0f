"""Hand-built `devin.session_snapshots` rows from version dicts in the API's shape.

Rows go through Arrow and one INSERT, the way the ingest writes them; timestamps are epoch
seconds turned into TIMESTAMPTZ by DuckDB, `raw` is the dict as JSON.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from devin_pipeline.warehouse.change_log import log_days
from devin_pipeline.warehouse.connection import transaction

DAY = 86_400
T0 = int(datetime(2025, 3, 1, tzinfo=UTC).timestamp())  # 2025-03-01 00:00:00 UTC

_PULL_REQUEST = pa.struct([("pr_url", pa.string()), ("pr_state", pa.string())])
_SCHEMA = pa.schema(
    [
        ("session_id", pa.string()),
        ("status", pa.string()),
        ("org_id", pa.string()),
        ("user_id", pa.string()),
        ("category", pa.string()),
        ("origin", pa.string()),
        ("acus_consumed", pa.float64()),
        ("pull_requests", pa.list_(_PULL_REQUEST)),
        ("created_at", pa.int64()),
        ("updated_at", pa.int64()),
        ("snapshot_date", pa.date32()),
        ("raw", pa.string()),
    ]
)

_INSERT = """
INSERT INTO devin.session_snapshots BY NAME
SELECT
    * EXCLUDE (created_at, updated_at, raw),
    to_timestamp(created_at) AS created_at,
    to_timestamp(updated_at) AS updated_at,
    $fetched_at AS fetched_at,
    CAST(raw AS JSON) AS raw
FROM version_batch
"""


def version(session_id: str, updated_at: int, **fields: Any) -> dict[str, Any]:
    """One observed version; unspecified fields get plain defaults."""
    defaults: dict[str, Any] = {
        "session_id": session_id,
        "status": "running",
        "org_id": "org-a",
        "user_id": "user-1",
        "category": None,
        "acus_consumed": 1.0,
        "pull_requests": [],
        "created_at": updated_at,
        "updated_at": updated_at,
    }
    return defaults | fields


def insert_versions(conn: duckdb.DuckDBPyConnection, versions: list[dict[str, Any]]) -> None:
    """Appends the versions and logs their days, as the writer does; a `snapshot_date` key
    overrides the UTC day of updated_at."""
    rows = [_row(v) for v in versions]
    conn.register("version_batch", pa.Table.from_pylist(rows, schema=_SCHEMA))
    try:
        with transaction(conn):
            conn.execute(_INSERT, {"fetched_at": datetime.now(UTC)})
            for day in sorted({row["snapshot_date"] for row in rows}):
                log_days(conn, "devin", "session_snapshots", day, day)
    finally:
        conn.unregister("version_batch")


def _row(api_version: dict[str, Any]) -> dict[str, Any]:
    item = {k: v for k, v in api_version.items() if k != "snapshot_date"}
    day = api_version.get("snapshot_date", _utc_day(api_version["updated_at"]))
    return {name: item.get(name) for name in _SCHEMA.names} | {
        "snapshot_date": day,
        "raw": json.dumps(item),
    }


def _utc_day(epoch_seconds: int) -> date:
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).date()
