"""Devin's own metrics (dau, wau, mau, active-users, sessions, prs, searches, usage), computed
from the sandbox's sessions and a stream of searches: equal to what a client derives where
they should be, different where Devin's are (searches count as activity, some origins are
hidden or folded). `MetricsOptions` holds the readings the real API leaves undocumented."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from devin_pipeline.sandbox import vocab
from devin_pipeline.sandbox.generate import Tables
from devin_pipeline.sandbox.metrics_options import (
    CLOSED,
    DAY,
    EVERYONE,
    FOLDED_ORIGINS,
    HIDDEN_ORIGINS,
    MERGED,
    SEARCHES_PER_DAY,
    SIZE_LIMITS_CENTS,
    SIZES,
    MetricsOptions,
    Scope,
    bucket_start,
    epoch,
    next_start,
    utc_day,
)
from devin_pipeline.sandbox.people import Members


class Metrics:
    """The answers of the metrics endpoints at a clock; `people` are the listed people and
    those who left, in `names.users` order first (their session code), then the others."""

    def __init__(
        self, tables: Tables, members: Members, *, seed: int, start: int, end: int
    ) -> None:
        self.tables = tables
        named = list(tables.names.users)
        self.people = named + [p.user_id for p in members.people if p.user_id not in named]
        self._seed, self._start, self._end = seed, start, end

    @cached_property
    def searches(self) -> dict[str, np.ndarray]:
        """Each search's time, person code and org code (-1: a person without sessions)."""
        rng = np.random.default_rng([self._seed, 4])
        n_named = len(self.tables.names.users)
        searcher = rng.random(len(self.people)) < 0.6
        searcher[n_named:] = True  # the people who create no session do search
        days = (self._end - self._start) / DAY
        counts = np.where(searcher, rng.poisson(SEARCHES_PER_DAY * days, len(self.people)), 0)
        person = np.repeat(np.arange(len(self.people)), counts)
        time = rng.integers(self._start, self._end, person.size, dtype=np.int64)
        s = self.tables.s
        org_of = np.full(len(self.people), -1, dtype=np.int64)
        has = s["user"] >= 0
        org_of[s["user"][has]] = s["org"][has]  # a person's org: that of one of their sessions
        return {"time": time, "person": person, "org": org_of[person]}

    def _session_mask(self, lo: int | None, hi: int | None, clock: int, scope: Scope) -> np.ndarray:
        s, names = self.tables.s, self.tables.names
        keep = s["created"] <= clock
        if lo is not None:
            keep &= s["created"] >= lo
        if hi is not None:
            keep &= s["created"] < hi
        for ids, column, known in (
            (scope.org_ids, "org", names.orgs),
            (scope.user_ids, "user", names.users),
            (scope.service_user_ids, "service_user", names.service_users),
        ):
            if ids is not None:
                keep &= np.isin(s[column], [known.index(i) for i in ids if i in known])
        if scope.playbook_id is not None:
            code = (
                [names.playbooks.index(scope.playbook_id)]
                if scope.playbook_id in names.playbooks
                else []
            )
            keep &= np.isin(s["playbook"], code)
        return keep

    def _search_mask(self, lo: int | None, hi: int | None, clock: int, scope: Scope) -> np.ndarray:
        q = self.searches
        keep = q["time"] <= clock
        if lo is not None:
            keep &= q["time"] >= lo
        if hi is not None:
            keep &= q["time"] < hi
        if scope.org_ids is not None:
            orgs = self.tables.names.orgs
            keep &= np.isin(q["org"], [orgs.index(i) for i in scope.org_ids if i in orgs])
        if scope.user_ids is not None:
            keep &= np.isin(
                q["person"], [self.people.index(i) for i in scope.user_ids if i in self.people]
            )
        return keep

    def active_users(
        self,
        lo: int,
        hi: int,
        clock: int,
        options: MetricsOptions,
        scope: Scope = EVERYONE,
        min_sessions: int = 1,
        min_searches: int = 1,
    ) -> int:
        """People who created >= min_sessions sessions or ran >= min_searches searches in
        [lo, hi) (a threshold of 0 turns its criterion off)."""
        s = self.tables.s
        keep = self._session_mask(lo, hi, clock, scope) & (s["user"] >= 0)
        sessions = np.bincount(s["user"][keep], minlength=len(self.people))
        active = sessions >= min_sessions if min_sessions > 0 else np.zeros(len(self.people), bool)
        if options.searches and min_searches > 0:
            found = self.searches["person"][self._search_mask(lo, hi, clock, scope)]
            active |= np.bincount(found, minlength=len(self.people)) >= min_searches
        return int(active.sum())

    def buckets(
        self,
        period: str,
        time_after: int,
        time_before: int,
        clock: int,
        options: MetricsOptions,
        **kwargs: Any,
    ) -> list[dict[str, int]]:
        """The dau/wau/mau array: one entry per bucket overlapping [time_after, time_before)."""
        out = []
        start = bucket_start(utc_day(time_after), period)
        while epoch(start) < time_before:
            lo, hi = epoch(start), epoch(next_start(start, period))
            if options.cut == "clip":
                lo, hi = max(lo, time_after), min(hi, time_before)
            count = self.active_users(lo, hi, clock, options, **kwargs)
            end = hi if options.end_time == "next_boundary" else hi - 1
            out.append({"active_users": count, "start_time": lo, "end_time": end})
            start = next_start(start, period)
        return out

    @cached_property
    def _first_version(self) -> np.ndarray:
        nv = self.tables.s["n_versions"].astype(np.int64)
        return np.cumsum(nv) - nv

    def _current_vno(self, clock: int) -> np.ndarray:
        """Per session, the number of its version current at `clock` (-1: none yet)."""
        v = self.tables.v
        visible = v["sess"][v["upd"] <= clock]
        return np.bincount(visible, minlength=self.tables.s["created"].size) - 1

    def _prs(self, keep: np.ndarray, clock: int) -> tuple[np.ndarray, np.ndarray]:
        """For the kept sessions' current versions: which PRs exist, and their states."""
        s = self.tables.s
        vno = np.maximum(self._current_vno(clock)[keep], 0)[:, None]
        exists = (np.arange(s["pr_appear"].shape[1])[None, :] < s["pr_count"][keep][:, None]) & (
            vno >= s["pr_appear"][keep]
        )
        settled = vno >= s["pr_final_at"][keep]
        state = np.where(settled, s["pr_final_state"][keep], 0)
        return exists, state

    def sessions(
        self,
        time_after: int,
        time_before: int,
        clock: int,
        options: MetricsOptions,
        scope: Scope = EVERYONE,
    ) -> dict[str, Any]:
        """GET /metrics/sessions over the sessions created in [time_after, time_before)."""
        s = self.tables.s
        keep = self._session_mask(time_after, time_before, clock, scope)
        exists, state = self._prs(keep, clock)
        merged = (exists & (state == MERGED)).any(axis=1)
        vno = np.maximum(self._current_vno(clock)[keep], 0)
        cents = self.tables.v["acus_cents"][self._first_version[keep] + vno]
        size = np.searchsorted(SIZE_LIMITS_CENTS, cents, side="right")
        n = int(keep.sum())
        return {
            "sessions_created_count": n,
            "sessions_created_with_playbook_count": int((s["playbook"][keep] >= 0).sum()),
            "sessions_created_with_search_count": 0,
            "sessions_with_merged_prs_count": int(merged.sum()),
            "avg_acus_per_session": round(float(cents.mean()) / 100, 4) if n else 0.0,
            "sessions_created_by_size": _counts(SIZES, size),
            "sessions_with_merged_prs_by_size": _counts(SIZES, size[merged]),
            "sessions_created_by_origin": self._by_origin(keep, options),
        }

    def origin_counts(self, time_after: int, time_before: int, clock: int) -> dict[str, int]:
        """Sessions created in the range per origin, as the sessions carry it."""
        keep = self._session_mask(time_after, time_before, clock, EVERYONE)
        return _counts(vocab.ORIGINS, self.tables.s["origin"][keep])

    def _by_origin(self, keep: np.ndarray, options: MetricsOptions) -> dict[str, int]:
        counts = _counts(vocab.ORIGINS, self.tables.s["origin"][keep])
        if options.origins == "all":
            return counts
        reported: dict[str, int] = {}
        for origin, n in counts.items():
            if origin in HIDDEN_ORIGINS:
                continue
            key = FOLDED_ORIGINS.get(origin, origin)
            reported[key] = reported.get(key, 0) + n
        return reported

    def prs(
        self, time_after: int, time_before: int, clock: int, scope: Scope = EVERYONE
    ) -> dict[str, int]:
        """GET /metrics/prs: the PRs of the sessions created in the range, as of `clock`."""
        exists, state = self._prs(self._session_mask(time_after, time_before, clock, scope), clock)
        return {
            "prs_created_count": int(exists.sum()),
            "prs_opened_count": int((exists & (state == 0)).sum()),
            "prs_merged_count": int((exists & (state == MERGED)).sum()),
            "prs_closed_count": int((exists & (state == CLOSED)).sum()),
        }

    def searches_created(
        self,
        time_after: int | None,
        time_before: int | None,
        clock: int,
        options: MetricsOptions,
        scope: Scope = EVERYONE,
    ) -> int:
        if not options.searches:
            return 0
        return int(self._search_mask(time_after, time_before, clock, scope).sum())

    def usage(
        self, time_after: int | None, time_before: int | None, clock: int, options: MetricsOptions
    ) -> dict[str, int]:
        """GET /metrics/usage: whole-enterprise totals (times optional)."""
        keep = self._session_mask(time_after, time_before, clock, EVERYONE)
        exists, state = self._prs(keep, clock)
        return {
            "sessions_count": int(keep.sum()),
            "searches_count": self.searches_created(time_after, time_before, clock, options),
            "prs_created_count": int(exists.sum()),
            "prs_merged_count": int((exists & (state == MERGED)).sum()),
        }

    def hidden(self, lo: int, hi: int, clock: int, options: MetricsOptions) -> dict[str, Any]:
        """What the answers for [lo, hi) leave out or add, by reason (the tests' truth): people
        active through searches alone, sessions of hidden origins, scheduled folded away."""
        with_searches = self.active_users(lo, hi, clock, options)
        plain = self.active_users(lo, hi, clock, MetricsOptions(searches=False))
        counts = self.origin_counts(lo, hi, clock) if options.origins == "devin" else {}
        return {
            "search_only_users": with_searches - plain,
            "hidden_origins": {o: n for o, n in counts.items() if o in HIDDEN_ORIGINS},
            "folded": {o: n for o, n in counts.items() if o in FOLDED_ORIGINS},
        }


def _counts(labels: tuple[str, ...], codes: np.ndarray) -> dict[str, int]:
    """label -> count for the codes present (a key not present is not sent)."""
    if not codes.size:
        return {}
    found = np.bincount(codes.astype(np.int64), minlength=len(labels))
    return {labels[i]: int(n) for i, n in enumerate(found.tolist()) if n}
