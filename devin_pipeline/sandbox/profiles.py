"""The `bursty` data profile: business-hour bursts and crowded seconds at each day's edges.

Real enterprise days are not smooth: work comes in business-hour bursts, and nightly jobs
stamp many sessions at exactly 00:00:00 and 23:59:59, several hundred versions in one second.
This reshapes the smooth history in place, drawing only from its own generator, so the
`smooth` profile (the default) stays byte-for-byte what a seed always gave.
"""

from __future__ import annotations

import numpy as np

from devin_pipeline.sandbox.history import DAY, next_updates

PROFILES = ("smooth", "bursty")
EDGE_SHARE = 0.07  # of a day's versions (current at the end) moved to each edge second
# Relative density of updates per UTC hour: quiet nights, a working day, two sharp bursts.
_HOURLY = np.array([1, 1, 1, 1, 1, 1, 1, 2, 4, 6, 14, 8, 5, 6, 16, 8, 6, 4, 2, 1, 1, 1, 1, 1])


def time_warp(ts: np.ndarray) -> np.ndarray:
    """Maps each day onto itself, non-decreasing, so the hourly density follows `_HOURLY`.

    Monotone, so every order survives (created <= updated, a session's versions); the
    densest hour compresses time ~4x, so versions 60 s apart stay distinct seconds.
    """
    cdf = np.concatenate(([0.0], np.cumsum(_HOURLY) / _HOURLY.sum()))
    hours = np.arange(25) * 3600.0
    into_day = ts % DAY
    warped = np.interp(into_day / DAY, cdf, hours).astype(np.int64)
    return ts - into_day + np.minimum(warped, DAY - 1)


def regroup_sessions(s: dict[str, np.ndarray], v: dict[str, np.ndarray]) -> None:
    """Re-sorts sessions into API order (created_at DESC, session_id) after `created` moved,
    carrying their versions along (versions stay grouped by session, ascending)."""
    order = np.lexsort((s["id_lo"], s["id_hi"], -s["created"]))
    if np.array_equal(order, np.arange(order.size)):
        return
    counts = s["n_versions"].astype(np.int64)
    first = np.cumsum(counts) - counts
    for key in s:
        s[key] = s[key][order]
    new_counts = counts[order]
    new_first = np.cumsum(new_counts) - new_counts
    offsets = np.arange(int(new_counts.sum())) - np.repeat(new_first, new_counts)
    picks = np.repeat(first[order], new_counts) + offsets
    for key in v:
        v[key] = v[key][picks]
    v["sess"] = np.repeat(np.arange(order.size, dtype=np.int32), new_counts)


def make_bursty(s: dict[str, np.ndarray], v: dict[str, np.ndarray]) -> None:
    """Warps the history into business-hour bursts (before the day-edge snap). A session's
    first version keeps `updated_at == created_at`: both come from the same raw second."""
    s["created"] = time_warp(s["created"])
    v["upd"] = time_warp(v["upd"])
    regroup_sessions(s, v)


def crowd_day_edges(seed: int, v: dict[str, np.ndarray], start_ts: int, end_ts: int) -> None:
    """Moves ~7% of each day's versions current at `end_ts` to 00:00:00 and ~7% to 23:59:59.

    Only versions whose move keeps their session's order: to midnight those whose previous
    version lies on an earlier day, to 23:59:59 those whose next lies on a later day.
    """
    rng = np.random.default_rng([seed, 0xB1257])
    upd, vno = v["upd"], v["vno"]
    nxt = next_updates(upd, v["is_last"])
    prev = np.roll(upd, 1)
    midnight = upd - upd % DAY
    shown = (upd >= start_ts) & (upd < end_ts) & (nxt > end_ts) & (vno > 0)
    day = np.where(shown, (upd - start_ts) // DAY, 0)
    per_day = np.bincount(day[shown], minlength=int((end_ts - start_ts) // DAY))
    to_end = shown & (upd % DAY != DAY - 1) & (upd % DAY != 0)
    to_midnight = to_end & (prev < midnight)
    draw = rng.random(upd.size)
    for mask, stamp in ((to_midnight, midnight), (to_end, midnight + DAY - 1)):
        mask = mask & (upd % DAY != 0) & (upd % DAY != DAY - 1)
        eligible = np.bincount(day[mask], minlength=per_day.size)
        share = np.minimum(1.0, EDGE_SHARE * per_day / np.maximum(eligible, 1))
        chosen = mask & (draw < share[day])
        upd[chosen] = stamp[chosen]
        draw = rng.random(upd.size)
    v["nxt"] = next_updates(upd, v["is_last"])
