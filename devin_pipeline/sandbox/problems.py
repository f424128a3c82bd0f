"""RFC 9457 problem details, the error shape newer Devin pages give for 403 and 404."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

PROBLEM_TYPE = "about:blank"  # RFC 9457: no further semantics than the status code
_TITLES = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}


class ProblemError(Exception):
    """An error answered as `application/problem+json`; `detail` is kept, as clients read it."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def forbidden(permission: str) -> ProblemError:
    return ProblemError(
        403, f"Service user lacks the {permission} permission at the enterprise level"
    )


def not_found(what: str, ident: str) -> ProblemError:
    return ProblemError(404, f"{what} {ident!r} not found")


async def problem_response(request: Request, exc: Exception) -> JSONResponse:
    """The exception handler: `type`, `title`, `status`, `detail`, `instance` (the path)."""
    assert isinstance(exc, ProblemError)
    body = {
        "type": PROBLEM_TYPE,
        "title": _TITLES.get(exc.status, "Error"),
        "status": exc.status,
        "detail": exc.detail,
        "instance": request.url.path,
    }
    return JSONResponse(body, status_code=exc.status, media_type="application/problem+json")
