"""Billing cycles and the orgs' cycle caps: monthly cycles anchored on a contract day at
08:00 UTC, and `max_cycle_acu_limit` set from the ledger so that at the data's end one org
has crossed 80% of its cap mid-cycle, one is forecast over it, one is well within."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from devin_pipeline.sandbox.consumption import BILLING_OFFSET, DAY, Ledger, billing_day_of
from devin_pipeline.sandbox.organizations import Organizations

PAST_CYCLES = 3  # cycles listed before the one holding the data's start
# limit = spend so far / share: crossing (0.9 of the cap billed), forecast over (0.3 billed
# a few days into a month-long cycle), within (the forecast at half the cap).
CROSSING_SHARE = 0.9
FORECAST_OVER_SHARE = 0.3
WITHIN_FORECAST_SHARE = 0.5


def contract_day(end: int) -> int:
    """The day of month cycles start on: five days before the data's end, so the running cycle
    has a few billing days and the one before it is past (28 at most: every month has it)."""
    return min(datetime.fromtimestamp(end - 5 * DAY, UTC).day, 28)


def _month_start(year: int, month: int, day: int) -> int:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return int(datetime(year, month, day, tzinfo=UTC).timestamp()) + BILLING_OFFSET


def cycle_of(ts: int, day: int) -> tuple[int, int]:
    """[after, before) of the cycle holding instant `ts`."""
    moment = datetime.fromtimestamp(ts, UTC)
    start = _month_start(moment.year, moment.month, day)
    if start > ts:
        start = _month_start(moment.year, moment.month - 1, day)
    begun = datetime.fromtimestamp(start, UTC)
    return start, _month_start(begun.year, begun.month + 1, day)


@dataclass(frozen=True)
class Cycles:
    """The cycles of one enterprise: anchored on `day`, from a few before `first` on."""

    day: int
    first: int  # an instant of the earliest data

    def listed(self, clock: int, running: bool = True) -> list[dict[str, int]]:
        """Items at `clock`, newest first; the running cycle only with `running`."""
        after, _ = cycle_of(self.first, self.day)
        for _ in range(PAST_CYCLES):
            after, _ = cycle_of(after - 1, self.day)
        items = []
        while after <= clock:
            start, before = cycle_of(after, self.day)
            if before <= clock or running:
                items.append({"after": start, "before": before})
            after = before
        return items[::-1]


@dataclass(frozen=True)
class BudgetPlan:
    """Which org the sandbox put where, and the spend the caps were set from."""

    crossing: str | None
    forecast_over: str | None
    within: str | None
    limits: dict[str, int]


def plan_limits(
    orgs: Organizations, ledger: Ledger, codes: dict[str, int], cycles: Cycles, end: int
) -> BudgetPlan:
    """Caps from each org's Devin spend in the cycle running at `end`, over its billing days
    up to the one `end` falls in (what a run on the data's last day has fetched)."""
    after, before = cycle_of(end - 1, cycles.day)
    first_day, last_day = int(billing_day_of(after)), int(billing_day_of(end - 1))
    days = last_day - first_day + 1
    cycle_days = int(billing_day_of(before)) - first_day
    spend = {
        org_id: int(ledger.by_day(end, "org", code, first_day, days).sum()) / 100
        for org_id, code in codes.items()
        if orgs.kept(org_id)
    }
    spenders = sorted(o for o, acus in spend.items() if acus > 1)
    roles = [*spenders[:3], None, None, None][:3]
    factors = (
        1 / CROSSING_SHARE,
        1 / FORECAST_OVER_SHARE,
        cycle_days / days / WITHIN_FORECAST_SHARE,
    )
    limits = {
        org: math.ceil(spend[org] * factor)
        for org, factor in zip(roles, factors, strict=True)
        if org is not None
    }
    return BudgetPlan(roles[0], roles[1], roles[2], limits)


def with_limits(orgs: Organizations, limits: dict[str, int]) -> Organizations:
    """The same orgs, every version carrying its org's planned cap (others: no cap)."""
    versions = tuple(replace(v, max_cycle_acu_limit=limits.get(v.org_id)) for v in orgs.versions)
    return Organizations(versions, orgs.extra_org_id, orgs.deleted_at)
