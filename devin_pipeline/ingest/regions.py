"""The pieces a day walk is made of: regions of (updated_at, created_at), sort keys, hints.

A `Region` is a half-open box of `updated_at` and, optionally, `created_at`: the only ranges
the API filters on. A `Key` is an order a page can show (a field, ascending or descending).
`WalkHints` is what one run learned and shares between its days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

# Strict steps a page must show in one key, with no step back, before a walk pages by that
# key: nine items of a list in an unrelated order fall in order of one of the four keys by
# chance about once in 90,000 pages (4/9!); pages of 200 show ~200 steps. Small pages (the
# tests' 3-5 items) never qualify and take the order-free path.
MIN_STEPS = 8

Item = Mapping[str, Any]


@dataclass(frozen=True)
class Key:
    """An order a page can show: `field` ascending, or descending."""

    field: str
    descending: bool

    def steps(self, items: Sequence[Item]) -> int | None:
        """Strict steps in this order between neighbours; None if any step goes back."""
        values = [item[self.field] for item in items]
        if self.descending:
            values.reverse()
        pairs = list(pairwise(values))
        if any(later < earlier for earlier, later in pairs):
            return None
        return sum(later > earlier for earlier, later in pairs)


# Filterable keys only: a walk pages by narrowing the query to what comes after a value.
KEYS = (
    Key("created_at", descending=True),
    Key("updated_at", descending=False),
    Key("created_at", descending=False),
    Key("updated_at", descending=True),
)


def shared_value(items: Sequence[Item], exclude: str | None = None) -> tuple[str, int] | None:
    """A filterable field (but `exclude`) whose value every item shares, and that value."""
    for name in ("updated_at", "created_at"):
        if name == exclude:
            continue
        values = {item[name] for item in items}
        if len(values) == 1:
            return name, values.pop()
    return None


def shown_order(items: Sequence[Item], exclude: str | None = None) -> Key | None:
    """The one key this page is sorted by with MIN_STEPS of evidence; None if not exactly one."""
    shown = [
        (steps, key)
        for key in KEYS
        if key.field != exclude and (steps := key.steps(items)) is not None and steps >= MIN_STEPS
    ]
    if not shown:
        return None
    shown.sort(key=lambda pair: -pair[0])
    if len(shown) > 1 and shown[1][0] == shown[0][0]:
        return None  # two keys fit equally well: no way to tell which one is the order
    return shown[0][1]


Span = tuple[int | None, int | None]  # [low, high); None is unbounded


def _clip(span: Span, low: int | None = None, high: int | None = None) -> Span:
    lo, hi = span
    if low is not None:
        lo = low if lo is None else max(lo, low)
    if high is not None:
        hi = high if hi is None else min(hi, high)
    return lo, hi


@dataclass(frozen=True)
class Region:
    """Versions with `updated_at` in `updated` and `created_at` in `created`, both [low, high)."""

    updated: Span
    created: Span = (None, None)

    def empty(self) -> bool:
        return any(lo is not None and hi is not None and lo >= hi for lo, hi in self.spans())

    def spans(self) -> tuple[Span, Span]:
        return self.updated, self.created

    def holds(self, item: Item) -> bool:
        for (lo, hi), name in zip(self.spans(), ("updated_at", "created_at"), strict=True):
            value = item[name]
            if (lo is not None and value < lo) or (hi is not None and value >= hi):
                return False
        return True

    def _narrowed(self, name: str, low: int | None, high: int | None) -> Region:
        if name == "updated_at":
            return replace(self, updated=_clip(self.updated, low, high))
        return replace(self, created=_clip(self.created, low, high))

    def from_value(self, key: Key, value: int) -> Region:
        """The part listed from `value` on (value included) in the key's order."""
        if key.descending:
            return self._narrowed(key.field, None, value + 1)
        return self._narrowed(key.field, value, None)

    def beyond(self, key: Key, value: int) -> Region:
        """The part listed after `value` (value excluded) in the key's order."""
        if key.descending:
            return self._narrowed(key.field, None, value)
        return self._narrowed(key.field, value + 1, None)

    def split(self, name: str, value: int) -> tuple[Region, Region, Region]:
        """The parts with field `name` equal to, below and above `value`."""
        return (
            self._narrowed(name, value, value + 1),
            self._narrowed(name, None, value),
            self._narrowed(name, value + 1, None),
        )

    def with_updated(self, low: int, high: int) -> Region:
        return replace(self, updated=(low, high))

    def query(self, hints: WalkHints) -> dict[str, Any]:
        """The API's filters for this region, covering it whatever the bounds' convention."""
        params: dict[str, Any] = {}
        for (lo, hi), prefix in zip(self.spans(), ("updated", "created"), strict=True):
            params.update(hints.bounds(prefix, lo, hi))
        return params


@dataclass
class WalkHints:
    """What a run learned, shared by its days and threads (no lock: see each field).

    `width`: the sub-window width that last filled a page, only a guess for the next one.
    `inclusive`: the bound parameters a page proved inclusive, by listing an item equal to
    the bound sent; until then a bound is sent one second outside the region, which covers
    it under either convention (CONTRACT.md), and items outside are dropped client-side.
    """

    width: int | None = None
    inclusive: set[str] = field(default_factory=set)

    def bounds(self, prefix: str, low: int | None, high: int | None) -> dict[str, int]:
        after, before = f"{prefix}_after", f"{prefix}_before"
        params = {}
        if low is not None:
            params[after] = low if after in self.inclusive else low - 1
        if high is not None:
            params[before] = high - 1 if before in self.inclusive else high
        return params

    def learn(self, sent: Mapping[str, int], items: Iterable[Item]) -> None:
        """Records the bounds these items prove inclusive."""
        unknown = {name: value for name, value in sent.items() if name not in self.inclusive}
        if not unknown:
            return
        for item in items:
            for name, value in unknown.items():
                if item[name.rsplit("_", 1)[0] + "_at"] == value:
                    self.inclusive.add(name)
