"""Errors of the API client; every message says what to do and never carries the API key."""

from __future__ import annotations

from devin_pipeline.resources.endpoints import SESSIONS, Endpoint


class DevinAPIError(RuntimeError):
    """A request the API refused for good (4xx): retrying cannot help."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class TransientAPIError(RuntimeError):
    """A failure worth retrying: 429, 5xx, a cut connection or an unreadable body."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RetryBudgetExhausted(DevinAPIError):  # noqa: N818 (public name: reads as a state)
    """Transient failures went on past the bound on attempts or on total waiting."""


class PaginationError(DevinAPIError):
    """The API's cursors would make the walk loop or end early."""


class SchemaError(DevinAPIError):
    """An item breaks the API's documented schema; nothing of the run may be written."""


def guidance_for(status: int, endpoint: Endpoint = SESSIONS) -> str:
    """What the operator should do about a non-retryable status of `endpoint`."""
    return {
        400: "The request was rejected; a cursor reused with other filters causes this.",
        401: "Check DEVIN_API_KEY: it must be a valid service-user key (prefix cog_).",
        403: endpoint.permission_advice(),
        404: "Check DEVIN_API_BASE_URL: it must be the API origin, e.g. https://api.devin.ai "
        "(or the id asked for is unknown to the API).",
        422: "A query parameter is invalid; see the detail.",
    }.get(status, "The API refused the request.")
