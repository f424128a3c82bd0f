"""`doctor`'s requests: through the pipeline's own client, one attempt each, counted and timed.

The same request is asked once (answers are kept), and no request is sent beyond the bound
announced in the report, so the count a server logs never exceeds what the report says.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.resources.endpoints import Endpoint
from devin_pipeline.resources.errors import DevinAPIError, TransientAPIError
from devin_pipeline.settings import Settings

Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Answer:
    """What one request got: an HTTP status and body, or the kind of failure before one."""

    status: int | None
    body: Any = None
    seconds: float = 0.0
    # "" (an HTTP answer), "tls", "network", "timeout", "server" (5xx, 429, unreadable body),
    # or "bound" (not sent: the request budget was spent).
    failure: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class Prober:
    """Sends `doctor`'s requests with the pipeline's client, within `bound` requests."""

    api: DevinAPIResource
    bound: int
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    _answers: dict[tuple[str, Params, str | None], Answer] = field(default_factory=dict)

    @classmethod
    def for_settings(cls, settings: Settings, api_key: str, bound: int) -> Prober:
        """The pipeline's client for these settings, but one attempt per request."""
        api = DevinAPIResource(
            api_key=api_key,
            base_url=settings.base_url,
            page_size=settings.page_size,
            max_attempts=1,
            max_retry_wait=0.0,
            connect_timeout=5.0,
            read_timeout=30.0,
        )
        return cls(api, bound)

    def get(
        self, endpoint: Endpoint, params: Sequence[tuple[str, str]] = (), item_id: str | None = None
    ) -> Answer:
        key = (endpoint.path, tuple(params), item_id)
        if key not in self._answers:
            self._answers[key] = self._send(endpoint, tuple(params), item_id)
        return self._answers[key]

    def _send(self, endpoint: Endpoint, params: Params, item_id: str | None) -> Answer:
        if self.sent >= self.bound:
            return Answer(None, failure="bound", detail="not sent: the request bound is spent")
        self.sent += 1
        start = time.perf_counter()
        try:
            body = self.api.get_json(endpoint, params, item_id)
        except DevinAPIError as exc:
            seconds = time.perf_counter() - start
            if exc.status is not None:
                return Answer(exc.status, seconds=seconds, detail=str(exc))
            return _failure(exc.__cause__, seconds)
        seconds = time.perf_counter() - start
        self.latencies.append(seconds)
        return Answer(200, body, seconds)


def _failure(cause: BaseException | None, seconds: float) -> Answer:
    """Tells apart a TLS failure, a network failure, a timeout and a failing server."""
    if isinstance(cause, requests.exceptions.SSLError):
        return Answer(None, seconds=seconds, failure="tls", detail=_first_line(cause))
    if isinstance(cause, requests.Timeout):
        return Answer(None, seconds=seconds, failure="timeout", detail=_first_line(cause))
    if isinstance(cause, requests.ConnectionError):
        return Answer(None, seconds=seconds, failure="network", detail=_first_line(cause))
    if isinstance(cause, TransientAPIError):
        return Answer(None, seconds=seconds, failure="server", detail=str(cause))
    return Answer(None, seconds=seconds, failure="server", detail=_first_line(cause))


def _first_line(error: BaseException | None) -> str:
    return str(error).splitlines()[0][:300] if error is not None else "unknown error"
