"""`data.enterprise` on its own: deterministic, leaves the sessions alone, bills exactly."""

from __future__ import annotations

import numpy as np

from devin_pipeline.sandbox import SandboxData
from devin_pipeline.sandbox.consumption import DAY, billing_day_of

from .conftest import START


def fresh(seed: int = 5) -> SandboxData:
    return SandboxData.generate(sessions=300, seed=seed, start=START, days=5)


def snapshot(data: SandboxData, clock: int):
    e = data.enterprise
    return (
        e.organization_versions(),
        e.users(clock),
        e.idp_users(clock),
        e.service_users(clock, include_inactive=True),
        e.consumption("enterprise", "", clock),
    )


def test_same_seed_same_enterprise_other_seed_other():
    one, two, other = fresh(), fresh(), fresh(6)
    assert snapshot(one, one.end) == snapshot(two, two.end)
    assert snapshot(one, one.end) != snapshot(other, other.end)


def test_the_enterprise_leaves_the_sessions_untouched():
    untouched, used = fresh(), fresh()
    snapshot(used, used.end)
    used.enterprise.consumption("org", used.org_ids[0], used.end + 9 * DAY)
    assert used.all_versions() == untouched.all_versions()


def test_every_delta_is_billed_exactly_once_across_days():
    data = fresh()
    ledger = data.enterprise.ledger
    v = data.tables.v
    cents = ledger.billed_at(int(v["upd"].max()))
    per_version = np.bincount(ledger.version, weights=cents, minlength=v["upd"].size)
    delta = v["acus_cents"] - np.where(v["vno"] > 0, np.roll(v["acus_cents"], 1), 0)
    assert np.array_equal(np.rint(per_version).astype(np.int64), delta)
    assert (np.bincount(ledger.version) > 1).any()  # long gaps cross days: split over them


def test_a_version_bills_only_inside_its_interval():
    data = fresh()
    ledger, v = data.enterprise.ledger, data.tables.v
    later = np.flatnonzero((v["vno"] > 0) & (np.diff(v["acus_cents"], prepend=0) > 100))
    k = int(later[np.argmax(v["upd"][later] - v["upd"][later - 1])])  # the longest accrual
    pieces = np.flatnonzero(ledger.version == k)
    low, high = int(v["upd"][k - 1]), int(v["upd"][k])
    assert ledger.billed_at(low)[pieces].sum() == 0
    middle = ledger.billed_at((low + high) // 2)[pieces].sum()
    total = int(v["acus_cents"][k] - v["acus_cents"][k - 1])
    assert abs(middle - total / 2) <= len(pieces)
    assert ledger.billed_at(high)[pieces].sum() == total
    days = ledger.day[pieces]
    assert days.min() == billing_day_of(low + 1) and days.max() == billing_day_of(high)


def test_a_moved_session_bills_each_org_for_its_own_versions():
    data = fresh()
    v = data.tables.v
    moved = np.flatnonzero(v["org"][1:] != v["org"][:-1]) + 1
    moved = moved[v["vno"][moved] > 0]
    assert moved.size
    ledger = data.enterprise.ledger
    assert np.array_equal(ledger.scopes["org"], v["org"][ledger.version])
