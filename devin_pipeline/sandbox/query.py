"""Answer a filtered query at a clock with numpy masks over the version arrays."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from devin_pipeline.sandbox import vocab
from devin_pipeline.sandbox.generate import Names, Tables

# The list's order is undocumented: newest first (the independent fake's, and the default),
# by `updated_at` (ties in the default order), or by `session_id`, an order whose pages show
# no order of a key a client could page by.
ORDERS = ("created_desc", "updated_asc", "session_id")


@dataclass(frozen=True)
class Filters:
    """A query in the sandbox's own terms: bounds are inclusive on both sides (ints), so the
    API's exclusive/inclusive conventions and `visible()`'s half-open window all map onto it."""

    session_ids: tuple[str, ...] | None = None
    created_min: int | None = None
    created_max: int | None = None
    updated_min: int | None = None
    updated_max: int | None = None
    tags: tuple[str, ...] | None = None  # a session matches if it has any of them
    playbook_id: str | None = None
    origins: tuple[str, ...] | None = None
    schedule_id: str | None = None
    user_ids: tuple[str, ...] | None = None
    service_user_ids: tuple[str, ...] | None = None
    category: str | None = None
    org_ids: tuple[str, ...] | None = None
    include_deleted_orgs: bool = True

    @property
    def narrows(self) -> bool:
        """Whether anything besides the time window and deleted orgs restricts the result."""
        return any(
            x is not None
            for x in (
                self.session_ids,
                self.tags,
                self.playbook_id,
                self.origins,
                self.schedule_id,
                self.user_ids,
                self.service_user_ids,
                self.category,
                self.org_ids,
            )
        )


class Index:
    """Name -> code lookups for the tables, built once."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    @cached_property
    def _codes(self) -> dict[str, dict[str, int]]:
        names: Names = self.tables.names
        kinds = {
            "org": names.orgs,
            "user": names.users,
            "service_user": names.service_users,
            "playbook": names.playbooks,
            "schedule": names.schedules,
            "origin": vocab.ORIGINS,
            "category": vocab.CATEGORIES,
            "tag": vocab.TAGS,
        }
        return {kind: {name: i for i, name in enumerate(seq)} for kind, seq in kinds.items()}

    def codes(self, kind: str, wanted: tuple[str, ...] | str) -> list[int]:
        """Codes of the known names among `wanted`; unknown names match nothing."""
        table = self._codes[kind]
        items = (wanted,) if isinstance(wanted, str) else wanted
        return [table[w] for w in items if w in table]

    @cached_property
    def _id_order(self) -> tuple[np.ndarray, np.ndarray]:
        s = self.tables.s
        order = np.lexsort((s["id_lo"], s["id_hi"]))
        return order, s["id_hi"][order]

    def session_index(self, session_id: str) -> int | None:
        """Session position for a `devin-<32 hex>` id, by binary search on the id halves."""
        body = session_id.removeprefix("devin-")
        if len(body) != 32 or body == session_id:
            return None
        try:
            hi, lo = int(body[:16], 16), int(body[16:], 16)
        except ValueError:
            return None
        order, sorted_hi = self._id_order
        pos = int(np.searchsorted(sorted_hi, np.uint64(hi)))
        while pos < sorted_hi.size and int(sorted_hi[pos]) == hi:
            if int(self.tables.s["id_lo"][order[pos]]) == lo:
                return int(order[pos])
            pos += 1
        return None

    @cached_property
    def _by_update(self) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(self.tables.v["upd"], kind="stable")
        return order, self.tables.v["upd"][order]

    def updated_between(self, low: int | None, high: int | None) -> np.ndarray:
        """Versions (of any clock) with low <= updated_at <= high, ascending = API order.

        A binary search, so a narrow window costs what it returns: a full mask over every
        version took ~30 ms a query at 1M sessions, which made the sandbox, not the client,
        the bottleneck of clients that list many small windows.
        """
        if low is None and high is None:
            return np.arange(self.tables.v["upd"].size)
        order, upd = self._by_update
        start = 0 if low is None else int(np.searchsorted(upd, low, "left"))
        stop = upd.size if high is None else int(np.searchsorted(upd, high, "right"))
        return np.sort(order[start:stop])

    def sessions_by_id(self) -> np.ndarray:
        """Session positions sorted by session_id (hex ids sort like their integer halves)."""
        return self._id_order[0]


def select(index: Index, f: Filters, clock: int, order: str = "created_desc") -> np.ndarray:
    """Version indices current at `clock` that match `f`, in `order`.

    Version indices ascend in `created_desc` order (sessions are stored that way); a stable
    sort by `updated_at` keeps it for ties.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}")
    v = index.tables.v
    idx = index.updated_between(f.updated_min, f.updated_max)
    idx = idx[(v["upd"][idx] <= clock) & (v["nxt"][idx] > clock)]
    for check in (_session_checks, _version_checks):
        keep = check(index, f, idx)
        if keep is not None:
            idx = idx[keep]
    if order == "updated_asc":
        idx = idx[np.argsort(v["upd"][idx], kind="stable")]
    elif order == "session_id":
        s, sess = index.tables.s, v["sess"][idx]
        idx = idx[np.lexsort((v["upd"][idx], s["id_lo"][sess], s["id_hi"][sess]))]
    return idx


def _and(keep: np.ndarray | None, cond: np.ndarray) -> np.ndarray:
    return cond if keep is None else keep & cond


def _session_checks(index: Index, f: Filters, idx: np.ndarray) -> np.ndarray | None:
    """Conditions on what a session is (ids, creation, who and how it was started)."""
    s = index.tables.s
    sess = index.tables.v["sess"][idx]
    keep: np.ndarray | None = None
    if f.session_ids is not None:
        found = [index.session_index(sid) for sid in f.session_ids]
        keep = _and(keep, np.isin(sess, [i for i in found if i is not None]))
    if f.created_min is not None:
        keep = _and(keep, s["created"][sess] >= f.created_min)
    if f.created_max is not None:
        keep = _and(keep, s["created"][sess] <= f.created_max)
    by_code = (
        ("playbook", f.playbook_id),
        ("origin", f.origins),
        ("schedule", f.schedule_id),
        ("user", f.user_ids),
        ("service_user", f.service_user_ids),
    )
    for kind, wanted in by_code:
        if wanted is not None:
            keep = _and(keep, np.isin(s[kind][sess], index.codes(kind, wanted)))
    return keep


def _version_checks(index: Index, f: Filters, idx: np.ndarray) -> np.ndarray | None:
    """Conditions on the current version (update time, org, category, tags)."""
    v = index.tables.v
    keep: np.ndarray | None = None
    if f.updated_min is not None:
        keep = _and(keep, v["upd"][idx] >= f.updated_min)
    if f.updated_max is not None:
        keep = _and(keep, v["upd"][idx] <= f.updated_max)
    if f.org_ids is not None:
        keep = _and(keep, np.isin(v["org"][idx], index.codes("org", f.org_ids)))
    if not f.include_deleted_orgs:
        keep = _and(keep, ~index.tables.names.org_deleted[v["org"][idx]])
    if f.category is not None:
        keep = _and(keep, np.isin(v["category"][idx], index.codes("category", f.category)))
    if f.tags is not None:
        bits = sum(1 << c for c in index.codes("tag", f.tags))
        keep = _and(keep, (v["tags"][idx] & bits) != 0)
    return keep
