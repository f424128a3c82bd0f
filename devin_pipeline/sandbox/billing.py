"""What the consumption endpoints report: per billing day and product, with late-reported
usage on recent days, the day's `date` at one of several instants, and the request's bounds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from devin_pipeline.sandbox.consumption import BILLING_OFFSET, DAY, Ledger, billing_day_of

Window = tuple[int | None, int | None]  # (time_after, time_before) as the request gave them
PRODUCTS = ("devin", "cascade", "terminal", "review")
# Cascade, Terminal and Review usage belongs to no org: around these shares of the day's Devin.
_SHARE_RANGES = {"cascade": (0.06, 0.10), "terminal": (0.02, 0.04), "review": (0.01, 0.03)}
LATE_SHORTFALL = 0.03  # what a day just ended still lacks; 0 once it ended SETTLED_AFTER ago
SETTLED_AFTER = 48 * 3600
# Which instant of billing day B an entry's `date` marks (undocumented upstream).
DATE_MARKS = {"billing_start": 0, "utc_midnight": -BILLING_OFFSET, "pacific_dst": -3600}


@dataclass(frozen=True)
class ReportOptions:
    """The Sandbox's consumption options, and the bounds convention of its filters."""

    date_mark: str = "billing_start"
    bounds: str = "exclusive"
    extra_products: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.date_mark not in DATE_MARKS:
            raise ValueError(f"consumption_date_mark must be one of {tuple(DATE_MARKS)}")
        clash = set(self.extra_products) & set(PRODUCTS)
        if clash:
            raise ValueError(f"extra_products may not redefine {sorted(clash)}")


def late_shortfall(day: np.ndarray, clock: int) -> np.ndarray:
    """Share of a day's accrual not reported yet: 3% until the day ends, then shrinking
    linearly to 0 at 48 h after its end; settled days are exact."""
    age = clock - (day + 1) * DAY - BILLING_OFFSET
    return LATE_SHORTFALL * np.clip(1 - age / SETTLED_AFTER, 0.0, 1.0)


class Reports:
    """Consumption bodies over a ledger; the first billing day is the one holding `start`."""

    def __init__(self, ledger: Ledger, *, seed: int, start: int) -> None:
        self.ledger = ledger
        self.seed = seed
        self.first_day = int(billing_day_of(start))

    def shares(self, day: int) -> dict[str, float]:
        """Non-Devin products' shares of a day's Devin, fixed per (seed, day)."""
        rng = np.random.default_rng([self.seed, 3, day])
        return {p: float(rng.uniform(*bounds)) for p, bounds in _SHARE_RANGES.items()}

    def days(self, clock: int) -> np.ndarray:
        """Billing days reported at `clock`: from the first one to the one in progress."""
        return np.arange(self.first_day, int(billing_day_of(clock)) + 1)

    def accrued(
        self, scope: str, code: int, clock: int, extra: Mapping[str, float]
    ) -> dict[str, np.ndarray]:
        """Exact accrued cents per product for each of `days(clock)`."""
        days = self.days(clock)
        devin = self.ledger.by_day(clock, scope, code, self.first_day, days.size)
        out = {"devin": devin}
        enterprise = scope == "enterprise"
        table = [self.shares(int(d)) for d in days] if enterprise else []
        for product in (*PRODUCTS[1:], *extra):
            if not enterprise:
                out[product] = np.zeros_like(devin)
                continue
            share = np.array([t[product] if product in t else extra[product] for t in table])
            out[product] = np.rint(devin * share).astype(np.int64)
        return out

    def reported(
        self, scope: str, code: int, clock: int, extra: Mapping[str, float]
    ) -> dict[str, np.ndarray]:
        """Cents per product as the endpoint reports them: recent days fall short."""
        short = late_shortfall(self.days(clock), clock)
        return {
            p: cents - np.rint(cents * short).astype(np.int64)
            for p, cents in self.accrued(scope, code, clock, extra).items()
        }

    def body(
        self,
        scope: str,
        code: int,
        clock: int,
        options: ReportOptions,
        window: Window = (None, None),
    ) -> dict[str, Any]:
        """The endpoint's JSON body for the days whose window meets the requested span."""
        days = self.days(clock)
        cents = self.reported(scope, code, clock, options.extra_products)
        starts = days * DAY + BILLING_OFFSET
        keep = _in_window(starts, window, options.bounds)
        mark = DATE_MARKS[options.date_mark]
        entries = []
        for k in np.flatnonzero(keep).tolist():
            by_product = {p: int(c[k]) for p, c in cents.items()}
            entries.append(
                {
                    "date": int(starts[k]) + mark,
                    "acus": sum(by_product.values()) / 100,
                    "acus_by_product": {p: c / 100 for p, c in by_product.items()},
                }
            )
        total = sum(int(c[keep].sum()) for c in cents.values())
        return {"total_acus": total / 100, "consumption_by_date": entries}


def _in_window(
    starts: np.ndarray, window: tuple[int | None, int | None], bounds: str
) -> np.ndarray:
    """time_after / time_before bound the instants of usage asked about: a day is returned when
    its window [start, start + DAY) holds one of them (strictly inside when "exclusive"), so an
    08:00-aligned request gets exactly its days, or under "inclusive" the next one too."""
    after, before = window
    keep = np.ones(starts.size, dtype=bool)
    inclusive = bounds == "inclusive"
    last_second = starts + DAY - 1
    if after is not None:
        keep &= last_second >= after if inclusive else last_second > after
    if before is not None:
        keep &= starts <= before if inclusive else starts < before
    return keep
