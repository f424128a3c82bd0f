"""Turns validated page items into one Arrow batch, column by column (no per-row objects)."""

from __future__ import annotations

from typing import Any

import orjson
import pyarrow as pa

PULL_REQUEST = pa.struct([("pr_url", pa.string()), ("pr_state", pa.string())])

# Column order and types of the batch; timestamps stay epoch seconds until SQL converts them.
BATCH_SCHEMA = pa.schema(
    [
        ("session_id", pa.string()),
        ("url", pa.string()),
        ("status", pa.string()),
        ("status_detail", pa.string()),
        ("title", pa.string()),
        ("org_id", pa.string()),
        ("user_id", pa.string()),
        ("service_user_id", pa.string()),
        ("origin", pa.string()),
        ("category", pa.string()),
        ("subcategory", pa.string()),
        ("tags", pa.list_(pa.string())),
        ("playbook_id", pa.string()),
        ("parent_session_id", pa.string()),
        ("child_session_ids", pa.list_(pa.string())),
        ("is_archived", pa.bool_()),
        ("acus_consumed", pa.float64()),
        ("pull_requests", pa.list_(PULL_REQUEST)),
        ("structured_output", pa.string()),
        ("created_at", pa.int64()),
        ("updated_at", pa.int64()),
        ("raw", pa.string()),
    ]
)
_PLAIN = [f.name for f in BATCH_SCHEMA if f.name not in ("structured_output", "raw")]


def items_to_batch(items: list[dict[str, Any]]) -> pa.Table:
    """One Arrow table for a list of API items; `raw` keeps each item exactly as sent."""
    columns = {name: [item.get(name) for item in items] for name in _PLAIN}
    columns["structured_output"] = [_json_or_none(item.get("structured_output")) for item in items]
    columns["raw"] = [orjson.dumps(item).decode() for item in items]
    arrays = [pa.array(columns[field.name], type=field.type) for field in BATCH_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=BATCH_SCHEMA)


def _json_or_none(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()
