"""One page of GET /v3/enterprise/sessions: cursor check, selection, body bytes."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import orjson

from devin_pipeline.sandbox.cursor import CursorError, decode_cursor, encode_cursor, query_key
from devin_pipeline.sandbox.data import SandboxData
from devin_pipeline.sandbox.faults import FaultPlan
from devin_pipeline.sandbox.query import Filters


class PageError(Exception):
    """A client error the endpoint answers with `{"detail": ...}`."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class ListParams:
    """The endpoint's query parameters after FastAPI validated them."""

    after: str | None = None
    first: int = 100
    session_ids: tuple[str, ...] | None = None
    created_after: int | None = None
    created_before: int | None = None
    updated_after: int | None = None
    updated_before: int | None = None
    tags: tuple[str, ...] | None = None
    playbook_id: str | None = None
    origins: tuple[str, ...] | None = None
    schedule_id: str | None = None
    user_ids: tuple[str, ...] | None = None
    service_user_ids: tuple[str, ...] | None = None
    category: str | None = None
    org_ids: tuple[str, ...] | None = None
    include_deleted_orgs: bool = False

    def key(self) -> bytes:
        """Digest of everything but the cursor: a cursor only continues its own query."""
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "after":
                parts.append(f"{f.name}={sorted(value) if isinstance(value, tuple) else value!r}")
        return query_key("&".join(parts))

    def filters(self, bounds: str) -> Filters:
        """Map the API's bounds onto inclusive ones: exclusive `after x` is `>= x + 1`."""
        shift = 1 if bounds == "exclusive" else 0
        return Filters(
            session_ids=self.session_ids,
            created_min=_plus(self.created_after, shift),
            created_max=_plus(self.created_before, -shift),
            updated_min=_plus(self.updated_after, shift),
            updated_max=_plus(self.updated_before, -shift),
            tags=self.tags,
            playbook_id=self.playbook_id,
            origins=self.origins,
            schedule_id=self.schedule_id,
            user_ids=self.user_ids,
            service_user_ids=self.service_user_ids,
            category=self.category,
            org_ids=self.org_ids,
            include_deleted_orgs=self.include_deleted_orgs,
        )


def _plus(value: int | None, delta: int) -> int | None:
    return None if value is None else value + delta


# Whether `total` is sent: "sometimes" omits it on queries only the time window narrows and
# sends null on odd pages (the upstream docs: "can be omitted for performance").
TOTALS = ("sometimes", "always", "never")


def cursor_offset(after: str | None, key: bytes) -> int:
    """Where a page starts: 0 without a cursor; a cursor not ours or another query's is a 400."""
    if after is None:
        return 0
    try:
        return decode_cursor(after, key)
    except CursorError as exc:
        raise PageError(400, str(exc)) from exc


def render_page(
    data: SandboxData,
    params: ListParams,
    *,
    bounds: str,
    clock: int,
    plan: FaultPlan,
    acus_cents: np.ndarray | None = None,
    order: str = "created_desc",
    total: str = "sometimes",
) -> bytes:
    """The JSON body of one page, assembled from cached item bytes (`acus_cents`: per-version
    values to show as acus_consumed instead of the truth, see `Sandbox(under_report=...)`)."""
    key = params.key()
    offset = cursor_offset(params.after, key)
    filters = params.filters(bounds)
    idx = data.select(filters, clock, order)
    page = idx[offset : offset + params.first]
    parts = data.item_bytes(page, acus_cents=acus_cents)
    if plan.malformed:
        parts = _break_items(parts, plan.malformed_kinds())
    end = offset + page.size
    has_next = end < idx.size
    cursor = encode_cursor(end, key) if has_next else None
    if plan.broken_pagination is not None:
        cursor, has_next = _broken(plan.broken_pagination, params, offset, key)
    return b"".join(
        (
            b'{"items":[',
            b",".join(parts),
            b'],"end_cursor":',
            orjson.dumps(cursor),
            b',"has_next_page":',
            b"true" if has_next else b"false",
            _total(total, filters, idx, offset // params.first),
            b"}",
        )
    )


def _total(policy: str, filters: Filters, idx: np.ndarray, page_number: int) -> bytes:
    """`total` is optional upstream (TOTALS): always, never, or today's mix."""
    if policy == "never" or (policy == "sometimes" and not filters.narrows):
        return b""
    if policy == "sometimes" and page_number % 2:
        return b',"total":null'
    return b',"total":%d' % idx.size


def _broken(mode: str, params: ListParams, offset: int, key: bytes) -> tuple[str | None, bool]:
    """Pagination bugs seen in other APIs: a stuck cursor, a missing one, no last page."""
    if mode == "repeat_cursor":
        return params.after or encode_cursor(offset + params.first, key), True
    if mode == "no_cursor":
        return None, True
    return encode_cursor(offset + params.first, key), True  # endless


def _break_items(parts: list[bytes], kinds: dict[str, str]) -> list[bytes]:
    """Serve the named sessions' items broken in the requested way."""
    out = []
    for part in parts:
        item = orjson.loads(part)
        kind = kinds.get(item["session_id"])
        out.append(part if kind is None else orjson.dumps(_broken_item(item, kind)))
    return out


def _broken_item(item: dict[str, Any], kind: str) -> dict[str, Any]:
    if kind == "missing_session_id":
        del item["session_id"]
    elif kind == "null_session_id":
        item["session_id"] = None
    elif kind == "string_updated_at":
        item["updated_at"] = str(item["updated_at"])
    elif kind == "float_updated_at":
        item["updated_at"] = item["updated_at"] + 0.5
    elif kind == "missing_updated_at":
        del item["updated_at"]
    elif kind == "string_acus_consumed":
        item["acus_consumed"] = str(item["acus_consumed"])
    return item
