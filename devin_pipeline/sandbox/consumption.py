"""The billing truth: each version's ACU delta accrues uniformly since the previous version,
split over billing days in integer cents so that every split sums exactly to its delta."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, date, datetime
from typing import overload

import numpy as np

from devin_pipeline.sandbox.generate import Tables

DAY = 86_400
BILLING_OFFSET = 8 * 3600  # a billing day starts at 08:00:00 UTC (midnight PST)
_CACHE = 8  # clocks whose per-piece figures are kept (a client reads many scopes at one clock)


@overload
def billing_day_of(ts: int) -> int: ...
@overload
def billing_day_of(ts: np.ndarray) -> np.ndarray: ...
def billing_day_of(ts: np.ndarray | int) -> np.ndarray | int:
    """Billing day number of an instant: day n is [n * DAY + 8 h, (n + 1) * DAY + 8 h)."""
    return (ts - BILLING_OFFSET) // DAY


def billing_date(day: int) -> date:
    """The calendar date naming billing day `day` (the UTC date of its 08:00 start)."""
    return datetime.fromtimestamp(day * DAY + BILLING_OFFSET, UTC).date()


def billing_day_number(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) // DAY


class Ledger:
    """One piece per (version, billing day) its accrual overlaps. Version i > 0 accrues
    `acus_cents[i] - acus_cents[i-1]` uniformly over (upd[i-1], upd[i]]; version 0 its value
    at upd[0]. Spend accrued by instant t (seconds <= t) is `delta * (t - a) // (b - a)`."""

    def __init__(self, tables: Tables) -> None:
        v, s = tables.v, tables.s
        cents, upd, vno = v["acus_cents"].astype(np.int64), v["upd"], v["vno"]
        later = vno > 0
        delta = cents - np.where(later, np.roll(cents, 1), 0)
        start = np.where(later, np.roll(upd, 1), upd - 1)  # version 0: one second, ending at upd
        version = np.flatnonzero(delta > 0)  # nothing accrues over the others
        first = billing_day_of(start[version] + 1)
        count = billing_day_of(upd[version]) - first + 1
        self.version = np.repeat(version, count)
        piece_start = np.cumsum(count) - count
        self.day = (
            np.repeat(first, count) + np.arange(int(count.sum())) - np.repeat(piece_start, count)
        )
        self.a = start[self.version]
        self.b = upd[self.version]
        self.delta = delta[self.version]
        sess = v["sess"][self.version]
        self.scopes = {
            "org": v["org"][self.version],
            "user": s["user"][sess],
            "service_user": s["service_user"][sess],
            "session": sess,
        }
        self._lock = threading.Lock()
        self._at: OrderedDict[int, np.ndarray] = OrderedDict()

    def _accrued(self, t: np.ndarray) -> np.ndarray:
        """Cents of each piece's delta accrued by the end of second `t` (floor: exact ints)."""
        length = np.maximum(self.b - self.a, 1)
        return self.delta * np.clip(t - self.a, 0, length) // length

    def billed_at(self, clock: int) -> np.ndarray:
        """Per piece, the cents accrued inside its billing day up to `clock`."""
        with self._lock:
            hit = self._at.get(clock)
        if hit is not None:
            return hit
        window_start = self.day * DAY + BILLING_OFFSET
        low = np.minimum(window_start - 1, clock)
        high = np.minimum(window_start + DAY - 1, clock)
        cents = self._accrued(high) - self._accrued(low)
        with self._lock:
            self._at[clock] = cents
            while len(self._at) > _CACHE:
                self._at.popitem(last=False)
        return cents

    def by_day(self, clock: int, scope: str, code: int, first_day: int, days: int) -> np.ndarray:
        """Accrued cents per billing day first_day .. first_day + days - 1, of one scope
        ("enterprise": everything; else the pieces whose org/user/... code is `code`)."""
        cents = self.billed_at(clock)
        day = self.day - first_day
        keep = (day >= 0) & (day < days)
        if scope != "enterprise":
            keep &= self.scopes[scope] == code
        sums = np.bincount(day[keep], weights=cents[keep], minlength=max(days, 0))
        return np.rint(sums[:days]).astype(np.int64)  # float64 sums of ints < 2**53: exact
