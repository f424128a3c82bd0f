"""Writes organization listings and derives `devin.organizations` from them and the snapshots.

A listing is written whole in one transaction (its versions and the record of which ids it
held), so a failed listing changes nothing and never marks an org unlisted. `organizations`
is a pure function of the versions, the listings and the snapshots, so it can be recomputed
whenever either changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from devin_pipeline.warehouse.connection import registered, transaction
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

_LISTED = pa.schema([("org_id", pa.string()), ("updated_at", pa.int64()), ("raw", pa.string())])


def write_organization_listing(
    conn: duckdb.DuckDBPyConnection,
    items: list[dict[str, Any]],
    fetched_at: datetime,
    schema: str = DEFAULT_SCHEMA,
) -> int:
    """Stores one complete listing's versions and ids; returns the versions it listed."""
    unique = {(i["org_id"], i["updated_at"]): i for i in items}
    rows = [
        {"org_id": org_id, "updated_at": updated_at, "raw": orjson.dumps(item).decode()}
        for (org_id, updated_at), item in unique.items()
    ]
    stamp = {"fetched_at": fetched_at}
    with registered(conn, "listed_organizations", rows, _LISTED), transaction(conn):
        conn.execute(load_sql("delete_listed_organization_versions", schema))
        conn.execute(load_sql("insert_listed_organization_versions", schema), stamp)
        conn.execute(load_sql("insert_organization_listing", schema), stamp)
    return len(rows)


def rebuild_organizations(
    conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA
) -> tuple[int, int]:
    """Replaces `<schema>.organizations` in one transaction; returns its rows and listed ones."""
    with transaction(conn):
        conn.execute(f"DELETE FROM {schema}.organizations")
        conn.execute(load_sql("replace_organizations", schema))
    row = conn.execute(
        f"SELECT count(*), count(*) FILTER (WHERE is_listed) FROM {schema}.organizations"
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
