"""Bearer keys and enterprise permissions: 401 for a bad key, 403 for a missing permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import HTTPException, Request

from devin_pipeline.sandbox.problems import forbidden
from devin_pipeline.sandbox.vocab import SANDBOX_API_KEY, SANDBOX_NO_PERMISSION_KEY

if TYPE_CHECKING:
    from devin_pipeline.sandbox.state import SandboxState

__all__ = ["SANDBOX_API_KEY", "SANDBOX_NO_PERMISSION_KEY", "requires"]


def requires(sb: SandboxState, permission: str) -> Callable[[Request], None]:
    """A route dependency: the request's key must be valid and hold `permission`."""

    def check(request: Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"})
        if token == SANDBOX_NO_PERMISSION_KEY:
            raise forbidden(permission)
        if token != sb.api_key:
            raise HTTPException(401, "Invalid API key", headers={"WWW-Authenticate": "Bearer"})
        if permission not in sb.permissions or request.url.path in sb.refused_paths:
            raise forbidden(permission)

    return check
