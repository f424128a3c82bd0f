"""Per-version arrays: when each session changed and what each version says."""

from __future__ import annotations

import numpy as np

from devin_pipeline.sandbox import vocab

DAY = 86_400
NO_NEXT = np.iinfo(np.int64).max  # `nxt` of a session's last version: current forever
_STATUS = {name: i for i, name in enumerate(vocab.STATUSES)}
_FINISHED = vocab.DETAILS.index("finished")
_WAITING = vocab.DETAILS.index("waiting_for_user")


def versions(rng: np.random.Generator, s: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Expand sessions into versions minutes to days apart; later ones may lie in the future."""
    nv = s["n_versions"].astype(np.int64)
    first = np.concatenate(([0], np.cumsum(nv)[:-1]))
    sess = np.repeat(np.arange(nv.size, dtype=np.int32), nv)
    vno = (np.arange(int(nv.sum())) - first[sess]).astype(np.int8)
    is_last = vno == (nv[sess] - 1)
    # Log-normal gaps (median 2 h) of whole seconds >= 60: no two versions share updated_at.
    gaps = np.exp(rng.normal(np.log(2 * 3600), 1.6, vno.size)).clip(60, 4 * DAY)
    gaps = gaps.astype(np.int64)
    gaps[first] = 0
    status, detail = _statuses(rng, vno, is_last)
    return {
        "sess": sess,
        "vno": vno,
        "is_last": is_last,
        "upd": s["created"][sess] + _segment_cumsum(gaps, first, sess),
        "org": np.where(vno >= s["org_move_from"][sess], s["org_to"][sess], s["org"][sess]),
        "category": np.where(vno >= s["category_from"][sess], s["category"][sess], -1).astype(
            np.int8
        ),
        "tags": s["tags"][sess]
        | np.where(vno >= s["late_tag_from"][sess], vocab.LATE_TAG_BIT, 0).astype(np.int16),
        "status": status,
        "detail": detail,
        "acus_cents": _acus_cents(rng, first, sess, status),
    }


def _segment_cumsum(values: np.ndarray, first: np.ndarray, sess: np.ndarray) -> np.ndarray:
    """Cumulative sum restarting at each session's first version."""
    total = np.cumsum(values)
    return total - (total[first] - values[first])[sess]


def _acus_cents(
    rng: np.random.Generator, first: np.ndarray, sess: np.ndarray, status: np.ndarray
) -> np.ndarray:
    """Cumulative ACUs in hundredths, so the cumulative value is exact and never decreases."""
    inc = rng.exponential(180.0, sess.size).astype(np.int64)
    inc[rng.random(sess.size) < 0.2] = 0  # waiting for a user is not billed
    inc[first] = np.where(status[first] == _STATUS["new"], 0, inc[first] // 10)
    return _segment_cumsum(inc, first, sess)


def _statuses(
    rng: np.random.Generator, vno: np.ndarray, is_last: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Status per version by its place in the session's life, with a matching status_detail."""
    st = _STATUS
    status = np.empty(vno.size, dtype=np.int8)
    groups = (
        (vno == 0, (st["new"], st["claimed"], st["running"]), (0.85, 0.10, 0.05)),
        ((vno > 0) & ~is_last, (st["running"], st["suspended"], st["resuming"], st["claimed"]),
         (0.65, 0.15, 0.10, 0.10)),
        (is_last, (st["exit"], st["suspended"], st["error"], st["running"]),
         (0.50, 0.25, 0.08, 0.17)),
    )  # fmt: skip
    for mask, choices, weights in groups:
        status[mask] = rng.choice(choices, int(mask.sum()), p=weights)
    detail = np.full(vno.size, -1, dtype=np.int8)
    running = status == st["running"]
    detail[running] = rng.choice(4, int(running.sum()), p=(0.55, 0.25, 0.10, 0.10))
    done = running & is_last
    detail[done] = np.where(rng.random(int(done.sum())) < 0.6, _FINISHED, _WAITING)
    suspended = status == st["suspended"]
    n_running = len(vocab.RUNNING_DETAILS)
    detail[suspended] = n_running + rng.choice(
        len(vocab.SUSPENDED_DETAILS), int(suspended.sum()), p=vocab.SUSPENDED_WEIGHTS
    )
    # Every 3rd version waiting for its user reads `blocked`, undocumented (no draw: same data).
    blocked = (detail == _WAITING) & (np.arange(vno.size) % 3 == 1)
    status[blocked], detail[blocked] = st["blocked"], -1
    return status, detail


def next_updates(upd: np.ndarray, is_last: np.ndarray) -> np.ndarray:
    """When each version stops being current: the next version's updated_at."""
    nxt = np.empty_like(upd)
    nxt[:-1] = upd[1:]
    nxt[is_last] = NO_NEXT
    return nxt


def snap_to_day_edges(
    rng: np.random.Generator, v: dict[str, np.ndarray], start_ts: int, end_ts: int
) -> None:
    """Move some versions to exactly 00:00:00 and 23:59:59 UTC: partition edges need testing.
    Most are still current at the default clock (`end_ts`), so a first fetch sees them."""
    upd, vno = v["upd"], v["vno"]
    k = max(12, upd.size // 300)
    movable = (upd >= start_ts) & (upd < end_ts) & (vno > 0)
    nxt = next_updates(upd, v["is_last"])
    midnight = upd - upd % DAY
    cand = np.flatnonzero(movable & (midnight > np.roll(upd, 1)) & (upd != midnight))
    chosen = _choose(rng, cand, nxt[cand] > end_ts, k)
    upd[chosen] = midnight[chosen]
    day_end = upd - upd % DAY + DAY - 1
    cand = np.flatnonzero(movable & (day_end < nxt) & (upd != day_end) & (upd % DAY != 0))
    chosen = _choose(rng, cand, nxt[cand] > end_ts, k)
    upd[chosen] = day_end[chosen]
    v["nxt"] = next_updates(upd, v["is_last"])


def _choose(rng: np.random.Generator, cand: np.ndarray, current: np.ndarray, k: int) -> np.ndarray:
    """Up to k candidates still current at the end, and k // 2 superseded ones."""
    picks = [
        rng.choice(group, min(n, group.size), replace=False)
        for group, n in ((cand[current], k), (cand[~current], k // 2))
    ]
    return np.concatenate(picks)


def children_of(
    rng: np.random.Generator, s: dict[str, np.ndarray]
) -> dict[int, list[tuple[int, int]]]:
    """Make ~3% of sessions children of a slightly older one; returns each parent's children."""
    n = s["created"].size
    child = np.flatnonzero(rng.random(n) < 0.03)
    parent = child + rng.integers(1, 30, child.size)
    keep = parent < n
    child, parent = child[keep], parent[keep]
    s["parent"][child] = parent
    children: dict[int, list[tuple[int, int]]] = {}
    for c, p in zip(child.tolist(), parent.tolist(), strict=True):
        children.setdefault(p, []).append((int(s["created"][c]), c))
    for kids in children.values():
        kids.sort()
    return children
