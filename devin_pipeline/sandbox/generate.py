"""Vectorised generation of the sandbox's version history, so 1M sessions take seconds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from devin_pipeline.sandbox import vocab
from devin_pipeline.sandbox.history import children_of, snap_to_day_edges, versions
from devin_pipeline.sandbox.profiles import PROFILES, crowd_day_edges, make_bursty

MAX_PRS = 3


@dataclass(frozen=True)
class Names:
    """The strings behind the integer codes of the tables."""

    orgs: tuple[str, ...]
    org_deleted: np.ndarray  # bool per org
    users: tuple[str, ...]
    service_users: tuple[str, ...]
    playbooks: tuple[str, ...]
    schedules: tuple[str, ...]


@dataclass(frozen=True)
class Tables:
    """Columnar history: sessions in API order (created_at DESC, session_id), versions grouped
    by session in ascending updated_at, so a boolean mask over versions is already ordered."""

    names: Names
    s: dict[str, np.ndarray]  # per session
    v: dict[str, np.ndarray]  # per version
    children: dict[int, list[tuple[int, int]]]  # parent -> [(child created_at, child index)]


def build_tables(n: int, seed: int, start_ts: int, end_ts: int, profile: str = "smooth") -> Tables:
    """Draw everything from one seeded generator, in a fixed order, for determinism.

    The `bursty` profile reshapes that same history with a generator of its own, so the
    `smooth` one stays exactly what the seed always gave.
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}")
    rng = np.random.default_rng(seed)
    names, ranges = _names(rng)
    s = _sessions(rng, n, start_ts, end_ts, ranges)
    s.update(_pull_requests(rng, s["n_versions"]))
    v = versions(rng, s)
    if profile == "bursty":
        make_bursty(s, v)
    snap_to_day_edges(rng, v, start_ts, end_ts)
    if profile == "bursty":
        crowd_day_edges(seed, v, start_ts, end_ts)
    children = children_of(rng, s)
    return Tables(names=names, s=s, v=v, children=children)


def _hex(rng: np.random.Generator, nbytes: int) -> str:
    return rng.bytes(nbytes).hex()


def _names(rng: np.random.Generator) -> tuple[Names, dict[str, np.ndarray]]:
    """Orgs (two deleted), their users, service users and schedules, and shared playbooks."""
    n_orgs = int(rng.integers(6, 13))
    deleted = np.zeros(n_orgs, dtype=bool)
    deleted[rng.choice(n_orgs, 2, replace=False)] = True
    user_count = rng.integers(3, 9, n_orgs)
    svc_count = rng.integers(1, 3, n_orgs)
    sched_count = rng.integers(1, 4, n_orgs)
    names = Names(
        orgs=tuple(f"org-{_hex(rng, 8)}" for _ in range(n_orgs)),
        org_deleted=deleted,
        users=tuple(f"user-{_hex(rng, 8)}" for _ in range(int(user_count.sum()))),
        service_users=tuple(f"service-user-{_hex(rng, 8)}" for _ in range(int(svc_count.sum()))),
        playbooks=tuple(f"playbook-{_hex(rng, 16)}" for _ in range(8)),
        schedules=tuple(f"schedule-{_hex(rng, 8)}" for _ in range(int(sched_count.sum()))),
    )
    weights = rng.random(n_orgs) + 0.3
    ranges = {"org_weights": weights / weights.sum()}
    for key, count in (("user", user_count), ("svc", svc_count), ("sched", sched_count)):
        ranges[f"{key}_start"] = np.concatenate(([0], np.cumsum(count)[:-1]))
        ranges[f"{key}_count"] = count
    return names, ranges


def _pick_in_org(
    rng: np.random.Generator, org: np.ndarray, start: np.ndarray, count: np.ndarray
) -> np.ndarray:
    """One member per session among its org's members (users, service users, schedules)."""
    return (start[org] + (rng.random(org.size) * count[org]).astype(np.int64)).astype(np.int16)


def _sessions(
    rng: np.random.Generator, n: int, start_ts: int, end_ts: int, ranges: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Per-session attributes, sorted into API order (created_at DESC, session_id)."""
    created = rng.integers(start_ts, end_ts, n, dtype=np.int64)
    ids = np.frombuffer(rng.bytes(16 * n), dtype=">u8").astype(np.uint64).reshape(n, 2)
    order = np.lexsort((ids[:, 1], ids[:, 0], -created))
    s: dict[str, np.ndarray] = {
        "created": created[order],
        "id_hi": ids[order, 0],
        "id_lo": ids[order, 1],
    }
    org = rng.choice(ranges["org_weights"].size, n, p=ranges["org_weights"]).astype(np.int16)
    origin = rng.choice(len(vocab.ORIGINS), n, p=vocab.ORIGIN_WEIGHTS).astype(np.int8)
    service = np.isin(origin, [vocab.ORIGINS.index(o) for o in vocab.SERVICE_ORIGINS])
    user = _pick_in_org(rng, org, ranges["user_start"], ranges["user_count"])
    svc = _pick_in_org(rng, org, ranges["svc_start"], ranges["svc_count"])
    sched = _pick_in_org(rng, org, ranges["sched_start"], ranges["sched_count"])
    scheduled = origin == vocab.ORIGINS.index("scheduled")
    n_versions = rng.integers(2, 9, n).astype(np.int8)
    s.update(
        org=org,
        origin=origin,
        user=np.where(service, -1, user).astype(np.int16),
        service_user=np.where(service, svc, -1).astype(np.int16),
        schedule=np.where(scheduled, sched, -1).astype(np.int16),
        n_versions=n_versions,
    )
    s.update(_session_details(rng, n, n_versions))
    n_orgs = ranges["org_weights"].size
    s["org_to"] = ((org + rng.integers(1, n_orgs, n)) % n_orgs).astype(np.int16)
    return s


def _later_version(rng: np.random.Generator, n_versions: np.ndarray) -> np.ndarray:
    """A version number in [1, n_versions - 1], for things that change after creation."""
    return (1 + (rng.random(n_versions.size) * (n_versions - 1))).astype(np.int8)


def _session_details(
    rng: np.random.Generator, n: int, n_versions: np.ndarray
) -> dict[str, np.ndarray]:
    """Category, tags, title, org moves and the other fields that may change later on."""
    never = n_versions.astype(np.int8)  # a version number no version reaches
    category = rng.integers(0, len(vocab.DOCUMENTED_CATEGORIES), n).astype(np.int8)
    category[rng.random(n) < 0.08] = -1
    # Every 61st categorized session gets the undocumented category (no draw: same data else).
    category[(np.arange(n) % 61 == 5) & (category >= 0)] = len(vocab.CATEGORIES) - 1
    cat_late = rng.random(n) < 0.10
    subcat = rng.integers(0, len(vocab.SUBCATEGORIES), n).astype(np.int8)
    subcat[(rng.random(n) < 0.35) | (category < 0)] = -1
    tag_bits = (rng.random((n, len(vocab.TAGS) - 1)) < 0.12) * (1 << np.arange(len(vocab.TAGS) - 1))
    moves = rng.random(n) < 0.015
    return {
        "category": category,
        "category_from": np.where(cat_late, _later_version(rng, n_versions), 0).astype(np.int8),
        "subcategory": subcat,
        "tags": tag_bits.sum(axis=1).astype(np.int16),
        "late_tag_from": np.where(
            rng.random(n) < 0.15, _later_version(rng, n_versions), never
        ).astype(np.int8),
        "org_move_from": np.where(moves, _later_version(rng, n_versions), never).astype(np.int8),
        "playbook": np.where(rng.random(n) < 0.2, rng.integers(0, 8, n), -1).astype(np.int8),
        "repo": rng.integers(0, vocab.REPO_COUNT, n).astype(np.int8),
        "title": rng.integers(0, len(vocab.TITLE_VERBS) * len(vocab.TITLE_OBJECTS), n),
        "title_from": (rng.random(n) < 0.25).astype(np.int8),
        "advanced": np.where(rng.random(n) < 0.3, rng.random(n) < 0.4, -1).astype(np.int8),
        "archived": rng.random(n) < 0.2,
        "output_kind": rng.choice(3, n, p=(0.4, 0.2, 0.4)).astype(np.int8),
        "output_from": _later_version(rng, n_versions),
        "parent": np.full(n, -1, dtype=np.int32),
    }


def _pull_requests(rng: np.random.Generator, n_versions: np.ndarray) -> dict[str, np.ndarray]:
    """Up to three PRs per session: each opens at a later version, may merge or close after."""
    n = n_versions.size
    count = rng.choice(MAX_PRS + 1, n, p=(0.45, 0.35, 0.15, 0.05)).astype(np.int8)
    nv = n_versions[:, None].astype(np.int64)
    appear = 1 + (rng.random((n, MAX_PRS)) * (nv - 1)).astype(np.int64)
    # Settles at a version in (appear, nv]; nv means never, so the PR stays open.
    final_at = appear + 1 + (rng.random((n, MAX_PRS)) * (nv - appear)).astype(np.int64)
    final_state = np.where(rng.random((n, MAX_PRS)) < 0.7, 1, 2).astype(np.int8)
    exists = np.arange(MAX_PRS)[None, :] < count[:, None]
    number = np.cumsum(exists.ravel()).reshape(n, MAX_PRS) + 100
    return {
        "pr_count": count,
        "pr_appear": appear.astype(np.int8),
        "pr_final_at": final_at.astype(np.int8),
        "pr_final_state": final_state,
        "pr_number": number.astype(np.int32),
    }
