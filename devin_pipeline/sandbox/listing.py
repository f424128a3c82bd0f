"""One page of a members or organizations list, paged exactly like sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from devin_pipeline.sandbox.cursor import encode_cursor, query_key
from devin_pipeline.sandbox.pages import cursor_offset


@dataclass(frozen=True)
class ListQuery:
    """A list request: the path and its filters bind the cursor, as does `first`."""

    path: str
    first: int = 100
    after: str | None = None
    filters: tuple[tuple[str, str], ...] = ()  # (name, value) of the filters given

    def key(self) -> bytes:
        """Digest of everything but the cursor: a cursor only continues its own query."""
        parts = [self.path, f"first={self.first}", *(f"{k}={v}" for k, v in self.filters)]
        return query_key("&".join(parts))

    @property
    def narrows(self) -> bool:
        """Whether a filter that can drop items (`email`) was given."""
        return any(name == "email" for name, _ in self.filters)


def render_list(
    items: list[dict[str, Any]], query: ListQuery, *, total: str = "sometimes"
) -> bytes:
    """The body of one page over `items` (the whole list at this request's clock).

    The cursor is an offset, applied at each request's clock as for sessions. `total` follows
    the sessions endpoint's policy: "sometimes" omits it on unfiltered lists and sends null
    on odd pages of filtered ones; "always" sends it; "never" omits it.
    """
    key = query.key()
    offset = cursor_offset(query.after, key)
    page = items[offset : offset + query.first]
    end = offset + len(page)
    has_next = end < len(items)
    body: dict[str, Any] = {
        "items": page,
        "end_cursor": encode_cursor(end, key) if has_next else None,
        "has_next_page": has_next,
    }
    if total == "always" or (total == "sometimes" and query.narrows):
        odd_page = (offset // query.first) % 2 == 1
        body["total"] = None if total == "sometimes" and odd_page else len(items)
    return orjson.dumps(body)
