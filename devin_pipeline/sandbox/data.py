"""SandboxData: the sandbox's deterministic session history and its own answers about it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

import numpy as np
import orjson

from devin_pipeline.sandbox.enterprise import Enterprise
from devin_pipeline.sandbox.generate import Tables, build_tables
from devin_pipeline.sandbox.items import NameTokens, item_json
from devin_pipeline.sandbox.query import Filters, Index, select

_SELECT_CACHE = 16  # (filters, clock) results kept; a moving clock makes a new one per page
_BYTES_CACHE = 200_000  # serialized versions kept; bounded so a 1M walk stays within memory


class SandboxData:
    """Every version of every session, generated from a seed; queried by clock and filters."""

    def __init__(
        self, tables: Tables, *, seed: int, start: int, end: int, profile: str = "smooth"
    ) -> None:
        self.tables = tables
        self.seed = seed
        self.profile = profile
        self.start = start
        self.end = end
        self.index = Index(tables)
        self._tokens = NameTokens(tables.names)
        self._lock = threading.Lock()
        self._selected: OrderedDict[tuple[Filters, int, str], np.ndarray] = OrderedDict()
        self._bytes: dict[int, bytes] = {}

    @classmethod
    def generate(
        cls,
        sessions: int = 2000,
        seed: int = 7,
        start: date = date(2024, 6, 1),
        days: int = 14,
        profile: str = "smooth",
    ) -> SandboxData:
        """Sessions created over [start, start + days) UTC; later versions may lie beyond.

        `profile="bursty"` adds business-hour bursts and ~7% of each day's versions at
        00:00:00 and at 23:59:59 (`profiles.py`); `smooth` is the historical data.
        """
        if sessions < 1 or days < 1:
            raise ValueError("sessions and days must be positive")
        start_ts = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
        end_ts = start_ts + days * 86_400
        tables = build_tables(sessions, seed, start_ts, end_ts, profile)
        return cls(tables, seed=seed, start=start_ts, end=end_ts, profile=profile)

    @cached_property
    def enterprise(self) -> Enterprise:
        """Organizations, members and billing of this history, generated on first use."""
        return Enterprise(
            self.tables, index=self.index, seed=self.seed, start=self.start, end=self.end
        )

    @property
    def session_count(self) -> int:
        return int(self.tables.s["created"].size)

    @property
    def version_count(self) -> int:
        return int(self.tables.v["upd"].size)

    def select(self, filters: Filters, clock: int, order: str = "created_desc") -> np.ndarray:
        """Matching version indices at `clock` in `order` (ORDERS); cached per query.

        The cache holds the query without its `created_at` bounds, applied after: a client
        paging by `created_before` asks a new bound on every page of the same window, and
        selecting the window afresh each time made the sandbox the bottleneck at 1M sessions.
        """
        base = replace(filters, created_min=None, created_max=None)
        key = (base, clock, order)
        with self._lock:
            idx = self._selected.get(key)
            if idx is not None:
                self._selected.move_to_end(key)
        if idx is None:
            idx = select(self.index, base, clock, order)
            with self._lock:
                self._selected[key] = idx
                while len(self._selected) > _SELECT_CACHE:
                    self._selected.popitem(last=False)
        if base == filters:
            return idx
        created = self.tables.s["created"][self.tables.v["sess"][idx]]
        keep = np.ones(idx.size, dtype=bool)
        if filters.created_min is not None:
            keep &= created >= filters.created_min
        if filters.created_max is not None:
            keep &= created <= filters.created_max
        return idx[keep]

    def item_bytes(self, idx: np.ndarray, *, acus_cents: np.ndarray | None = None) -> list[bytes]:
        """Serialized items for `idx`, built on first use and cached per version; with
        `acus_cents` (another acus_consumed per version) built afresh, never cached."""
        if acus_cents is not None:
            return item_json(self.tables, self._tokens, idx, acus_cents=acus_cents)
        keys = idx.tolist()
        with self._lock:  # several servers may share one SandboxData
            cache = self._bytes
            missing = [k for k in keys if k not in cache]
            if missing:
                if len(cache) + len(missing) > _BYTES_CACHE:
                    cache.clear()  # and so rebuild this page's cached items too
                    missing = keys
                built = item_json(self.tables, self._tokens, np.asarray(missing, dtype=np.int64))
                cache.update(zip(missing, built, strict=True))
            return [cache[k] for k in keys]

    def items(self, idx: np.ndarray) -> list[dict[str, Any]]:
        """Fresh item dicts for `idx`, parsed from the very bytes the endpoint serves."""
        return [orjson.loads(b) for b in item_json(self.tables, self._tokens, idx)]

    def visible(
        self,
        clock: int,
        updated_from: int | None = None,
        updated_to: int | None = None,
        *,
        include_deleted_orgs: bool = True,
    ) -> list[dict[str, Any]]:
        """Each session's version current at `clock`, optionally with
        updated_from <= updated_at < updated_to; in API order (created_at DESC, session_id)."""
        filters = Filters(
            updated_min=updated_from,
            updated_max=None if updated_to is None else updated_to - 1,
            include_deleted_orgs=include_deleted_orgs,
        )
        return self.items(select(self.index, filters, clock))

    def all_versions(self) -> list[dict[str, Any]]:
        """Every version ever, future ones included, sorted by (session_id, updated_at)."""
        nv = self.tables.s["n_versions"].astype(np.int64)
        first = np.cumsum(nv) - nv
        order = self.index.sessions_by_id()
        counts = nv[order]
        out_first = np.cumsum(counts) - counts
        offsets = np.arange(int(counts.sum())) - np.repeat(out_first, counts)
        return self.items(np.repeat(first[order], counts) + offsets)

    def schedule_id_of(self, session_id: str) -> str | None:
        """The schedule that started a session: filterable but not part of the item."""
        s = self.index.session_index(session_id)
        if s is None:
            return None
        code = int(self.tables.s["schedule"][s])
        return self.tables.names.schedules[code] if code >= 0 else None

    @property
    def org_ids(self) -> tuple[str, ...]:
        return self.tables.names.orgs

    @property
    def deleted_org_ids(self) -> tuple[str, ...]:
        names = self.tables.names
        return tuple(o for o, gone in zip(names.orgs, names.org_deleted, strict=True) if gone)
