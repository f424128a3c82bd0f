"""How the client retries: tenacity with jittered backoff, Retry-After, and shared bounds.

One `RetryBudget` is shared by every thread of a run, so concurrent windows cannot multiply
the total wait, and a 429 seen by one thread pauses them all (`pause_until`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_exponential_jitter

from devin_pipeline.resources.errors import RetryBudgetExhausted, TransientAPIError

# ChunkedEncodingError is a 200 whose body stopped short of its Content-Length (a cut
# connection mid-body): transient like a reset, though requests does not class it so.
TRANSIENT_ERRORS = (
    TransientAPIError,
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


@dataclass
class RetryBudget:
    """Bounds on retries for one run: attempts per request and seconds waited in total."""

    max_attempts: int
    max_total_wait: float
    retries: int = 0
    waited: float = 0.0
    _paused_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def spend(self, seconds: float) -> bool:
        """Books one retry's wait; False once the run would wait longer than allowed."""
        with self._lock:
            if self.waited + seconds > self.max_total_wait:
                return False
            self.retries += 1
            self.waited += seconds
            return True

    def pause_until(self, moment: float) -> None:
        """Holds every thread's next request until `moment` (a rate limit is account-wide)."""
        with self._lock:
            self._paused_until = max(self._paused_until, moment)

    def wait_for_turn(self) -> None:
        """Sleeps while a rate-limit pause set by any thread is in force."""
        delay = self._paused_until - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # "-0000" parses naive; HTTP dates are always GMT (RFC 9110)
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - time.time())


def build_retrying(budget: RetryBudget, initial_backoff: float, max_backoff: float) -> Retrying:
    """A tenacity policy: retry transient errors, wait max(Retry-After, backoff), within budget."""
    backoff = wait_exponential_jitter(
        multiplier=initial_backoff, max=max_backoff, jitter=initial_backoff
    )

    def wait(state: RetryCallState) -> float:
        # Retry-After: 0 would make a tight loop; the jittered backoff is the floor.
        told = _retry_after(state)
        return backoff(state) if told is None else max(told, backoff(state))

    def stop(state: RetryCallState) -> bool:
        if state.attempt_number >= budget.max_attempts:
            return True
        if not budget.spend(state.upcoming_sleep):
            return True
        # Pause the other threads only for a wait the budget accepted: a Retry-After
        # beyond the bound must fail the run now, not hold its threads asleep.
        if _retry_after(state) is not None:
            budget.pause_until(time.monotonic() + state.upcoming_sleep)
        return False

    return Retrying(
        retry=retry_if_exception_type(TRANSIENT_ERRORS),
        wait=wait,
        stop=stop,
        retry_error_callback=_give_up(budget),
    )


def _retry_after(state: RetryCallState) -> float | None:
    """The Retry-After of the failed attempt's 429/5xx, if it sent one."""
    exc = state.outcome.exception() if state.outcome else None
    return exc.retry_after if isinstance(exc, TransientAPIError) else None


def _give_up(budget: RetryBudget) -> Callable[[RetryCallState], None]:
    def raise_exhausted(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        told = _retry_after(state)
        asked = f", the API asked to wait {told:.0f}s more" if told is not None else ""
        raise RetryBudgetExhausted(
            f"Gave up after {state.attempt_number} attempts of one request "
            f"({budget.waited:.1f}s waited by this run{asked}; bounds: "
            f"{budget.max_total_wait:.0f}s of waiting per run, {budget.max_attempts} attempts "
            f"per request); last error: {exc}. The API is rate limiting or failing; "
            "retry later or raise DEVIN_API_MAX_RETRY_WAIT."
        ) from exc

    return raise_exhausted
