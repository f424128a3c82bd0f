"""Shapes the three members lists into one row per person or service user, and writes them.

A person can be in both the direct and the IdP list: one row, with the role assignments of
both. A listing is stored whole in one transaction (member_listings), so a failed listing
changes nothing; `users` is a pure function of the stored listings and the snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from devin_pipeline.warehouse.connection import registered, transaction
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql

_ROLE = pa.struct(
    [
        ("org_id", pa.string()),
        ("role_id", pa.string()),
        ("role_name", pa.string()),
        ("role_type", pa.string()),
        ("idp_group_name", pa.string()),
    ]
)
_LISTED = pa.schema(
    [
        ("user_id", pa.string()),
        ("kind", pa.string()),
        ("name", pa.string()),
        ("email", pa.string()),
        ("role_assignments", pa.list_(_ROLE)),
        ("expires_at", pa.int64()),
        ("raw", pa.string()),
    ]
)
PERSONAL_FIELDS = ("name", "email")


@dataclass
class MemberListing:
    """The items of one complete listing of the three members endpoints, as sent."""

    users: list[dict[str, Any]] = field(default_factory=list)
    idp_users: list[dict[str, Any]] = field(default_factory=list)
    service_users: list[dict[str, Any]] = field(default_factory=list)


def listing_rows(listing: MemberListing, personal: bool) -> list[dict[str, Any]]:
    """One row per id; without `personal`, names and emails are dropped from rows and raw."""
    rows: dict[str, dict[str, Any]] = {}
    sources = (
        ("users", "user_id", "role_assignments", listing.users),
        ("idp_users", "user_id", "idp_role_assignments", listing.idp_users),
        ("service_users", "service_user_id", "role_assignments", listing.service_users),
    )
    for source, id_field, roles_field, items in sources:
        kind = "service_user" if source == "service_users" else "user"
        for item in items:
            item = item if personal else _scrubbed(item)
            row = rows.setdefault(item[id_field], _empty_row(item[id_field], kind))
            row["name"] = row["name"] or item.get("name")
            row["email"] = row["email"] or item.get("email")
            row["expires_at"] = item.get("expires_at", row["expires_at"])
            row["role_assignments"] += _roles(item.get(roles_field) or [])
            row["raw"][source] = item
    return [{**row, "raw": orjson.dumps(row["raw"]).decode()} for row in rows.values()]


def _empty_row(user_id: str, kind: str) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "kind": kind,
        "name": None,
        "email": None,
        "role_assignments": [],
        "expires_at": None,
        "raw": {},
    }


def _scrubbed(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in PERSONAL_FIELDS}


def _roles(assignments: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "org_id": a.get("org_id"),
            "role_id": a["role"]["role_id"],
            "role_name": a["role"].get("role_name"),
            "role_type": a["role"].get("role_type"),
            "idp_group_name": a.get("idp_group_name"),
        }
        for a in assignments
    ]


def write_member_listing(
    conn: duckdb.DuckDBPyConnection,
    listing: MemberListing,
    fetched_at: datetime,
    personal: bool,
    schema: str = DEFAULT_SCHEMA,
) -> int:
    """Stores one complete listing in one transaction; returns the ids it held."""
    rows = listing_rows(listing, personal)
    with registered(conn, "listed_users", rows, _LISTED), transaction(conn):
        if not personal:
            conn.execute(load_sql("delete_personal_member_data", schema))
        conn.execute(load_sql("insert_member_listing", schema), {"fetched_at": fetched_at})
    return len(rows)


def rebuild_users(
    conn: duckdb.DuckDBPyConnection, personal: bool, schema: str = DEFAULT_SCHEMA
) -> tuple[int, int]:
    """Replaces `<schema>.users` from the stored listings and the snapshots, in one
    transaction (no request); returns its rows and the listed ones."""
    with transaction(conn):
        if not personal:
            conn.execute(load_sql("delete_personal_member_data", schema))
        conn.execute(f"DELETE FROM {schema}.users")
        conn.execute(load_sql("insert_users", schema), {"personal": personal})
    row = conn.execute(
        f"SELECT count(*), count(*) FILTER (WHERE is_listed) FROM {schema}.users"
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
