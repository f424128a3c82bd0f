"""Faults on request: which misbehaviour the sandbox shows, and on which request."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

MALFORMED_KINDS = (
    "missing_session_id",
    "null_session_id",
    "string_updated_at",
    "float_updated_at",
    "missing_updated_at",
    "string_acus_consumed",
)
CUT_OFF_MODES = ("truncate", "not_json")
BROKEN_PAGINATION = ("repeat_cursor", "no_cursor", "endless")
_EVERY = ("rate_limit_every", "error_every", "cut_off_every", "reset_every", "slow_every")


@dataclass
class FaultPlan:
    """All faults are off by default. "Every N" counts requests to the endpoints the plan
    covers since it was set (or stats were reset); request N, 2N, ... get the fault.
    `paths` restricts the plan to those endpoints (and the paths below them, `.../{id}`);
    None covers every /v3/ endpoint. `malformed`, `broken_pagination` and
    `move_clock_per_page` act on the sessions endpoint only."""

    latency_ms: float = 0.0
    rate_limit_every: int | None = None
    rate_limit_burst: int = 1  # consecutive 429s each time
    rate_limit_retry_after: str | None = "1"  # seconds, an HTTP-date, or None: no header
    rate_limit_for_seconds: float | None = None  # every request 429s for this long
    error_every: int | None = None
    error_statuses: tuple[int, ...] = (500, 502, 503)  # cycled through
    cut_off_every: int | None = None
    cut_off_mode: str = "truncate"  # or "not_json"
    reset_every: int | None = None
    slow_every: int | None = None
    slow_seconds: float = 30.0
    malformed: list[dict[str, str]] = field(default_factory=list)  # [{session_id, kind}]
    move_clock_per_page: int = 0
    broken_pagination: str | None = None
    seed: int = 0  # where truncated bodies are cut
    paths: tuple[str, ...] | None = None  # endpoints counted and faulted; None: all of them

    def __post_init__(self) -> None:
        if isinstance(self.malformed, dict):
            self.malformed = [self.malformed]
        if self.paths is not None:
            self.paths = (self.paths,) if isinstance(self.paths, str) else tuple(self.paths)
        self.error_statuses = tuple(self.error_statuses)
        for name in _EVERY:
            _check_every(name, getattr(self, name))
        if self.rate_limit_burst < 1:
            raise ValueError("rate_limit_burst must be >= 1")
        if self.cut_off_mode not in CUT_OFF_MODES:
            raise ValueError(f"cut_off_mode must be one of {CUT_OFF_MODES}")
        if self.broken_pagination not in (None, *BROKEN_PAGINATION):
            raise ValueError(f"broken_pagination must be None or one of {BROKEN_PAGINATION}")
        for spec in self.malformed:
            if spec.get("kind") not in MALFORMED_KINDS or "session_id" not in spec:
                raise ValueError(f"malformed needs session_id and a kind in {MALFORMED_KINDS}")

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> FaultPlan:
        """Build from the admin endpoint's JSON; unknown fields are an error, not ignored."""
        known = {f.name for f in fields(cls)}
        unknown = set(body) - known
        if unknown:
            raise ValueError(f"unknown FaultPlan fields: {sorted(unknown)}")
        return cls(**body)

    def covers(self, path: str) -> bool:
        """Whether requests to `path` are counted and faulted by this plan."""
        if self.paths is None:
            return True
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.paths)

    def malformed_kinds(self) -> dict[str, str]:
        """session_id -> kind of breakage."""
        return {spec["session_id"]: spec["kind"] for spec in self.malformed}


def _check_every(name: str, value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"{name} must be None or >= 1")


class Fault(StrEnum):
    """What happens to one request instead of (or on top of) the normal answer."""

    RESET = "reset"
    RATE_LIMIT = "rate_limit"
    ERROR = "error"
    SLOW = "slow"
    CUT_OFF = "cut_off"


class FaultState:
    """Counters behind a plan; decides the fault of each request in arrival order."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self.count = 0
        self.errors = 0
        self.burst_left = 0
        self.started = time.monotonic()
        self.rng = random.Random(plan.seed)

    def decide(self) -> Fault | None:
        """Count this request and return its fault, if any (at most one per request)."""
        self.count += 1
        n, p = self.count, self.plan
        if _hits(p.reset_every, n):
            return Fault.RESET
        if self._rate_limited(n):
            return Fault.RATE_LIMIT
        if _hits(p.error_every, n):
            return Fault.ERROR
        if _hits(p.slow_every, n):
            return Fault.SLOW
        if _hits(p.cut_off_every, n):
            return Fault.CUT_OFF
        return None

    def _rate_limited(self, n: int) -> bool:
        p = self.plan
        sustained = p.rate_limit_for_seconds
        if sustained is not None and time.monotonic() - self.started < sustained:
            return True
        if self.burst_left > 0:
            self.burst_left -= 1
            return True
        if _hits(p.rate_limit_every, n):
            self.burst_left = p.rate_limit_burst - 1
            return True
        return False

    def next_error_status(self) -> int:
        """The next status of the error cycle."""
        status = self.plan.error_statuses[self.errors % len(self.plan.error_statuses)]
        self.errors += 1
        return status

    def cut_point(self, size: int) -> int:
        """Where to truncate a body: somewhere in its middle, never complete."""
        if size < 2:
            return 0
        return self.rng.randrange(max(1, size // 4), size - 1)


def _hits(every: int | None, n: int) -> bool:
    return every is not None and n % every == 0
