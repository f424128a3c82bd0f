"""Transport-level faults in front of the app: 429s, 5xx, resets, stalls, cut-off bodies."""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import TYPE_CHECKING, Any

import orjson

from devin_pipeline.sandbox.faults import Fault, FaultState
from devin_pipeline.sandbox.vocab import served_path

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, MutableMapping

    from devin_pipeline.sandbox.state import SandboxState

    Scope = MutableMapping[str, Any]
    Message = MutableMapping[str, Any]
    Receive = Callable[[], Awaitable[Message]]
    Send = Callable[[Message], Awaitable[None]]
    ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_BAD_GATEWAY = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)
_MAINTENANCE = b"<!DOCTYPE html><html><body><h1>We'll be right back</h1></body></html>"


class FaultMiddleware:
    """Wraps the FastAPI app; requests to the API's endpoints are logged, and those the plan
    covers (`FaultPlan.paths`, default all) are counted and faulted."""

    def __init__(self, app: ASGIApp, sandbox: SandboxState) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not served_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        state = self.sandbox.record(scope)
        if not state.plan.covers(scope["path"]):
            await self.app(scope, receive, send)
            return
        fault = state.decide()
        if state.plan.latency_ms > 0:
            await asyncio.sleep(state.plan.latency_ms / 1000)
        if fault is Fault.RESET:
            await _reset(send)
        elif fault is Fault.RATE_LIMIT:
            headers = []
            if state.plan.rate_limit_retry_after is not None:
                headers.append((b"retry-after", state.plan.rate_limit_retry_after.encode()))
            await _respond(send, 429, b'{"detail":"Rate limit exceeded"}', headers=headers)
        elif fault is Fault.ERROR:
            await _error(send, state.next_error_status())
        elif fault is Fault.CUT_OFF:
            await self._cut_off(scope, receive, send, state)
        else:
            if fault is Fault.SLOW:
                await asyncio.sleep(state.plan.slow_seconds)  # past the client's read timeout
            await self.app(scope, receive, send)

    async def _cut_off(self, scope: Scope, receive: Receive, send: Send, st: FaultState) -> None:
        """Let the app answer, then spoil a 200: truncate it mid-JSON or replace it by HTML."""
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, capture)
        start, body = messages[0], b"".join(m.get("body", b"") for m in messages[1:])
        if start["status"] != 200:
            await _respond(send, start["status"], body, headers=_plain(start), ctype=None)
        elif st.plan.cut_off_mode == "not_json":
            await _respond(send, 200, _MAINTENANCE, ctype=b"text/html; charset=utf-8")
        else:
            await _truncate(send, start, body, st.cut_point(len(body)))


def _plain(start: Message) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]


async def _respond(
    send: Send,
    status: int,
    body: bytes,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    ctype: bytes | None = b"application/json",
) -> None:
    head = [(b"content-length", str(len(body)).encode()), *(headers or [])]
    if ctype is not None:
        head.append((b"content-type", ctype))
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


async def _error(send: Send, status: int) -> None:
    """500 with a JSON body, 502 with a proxy's HTML page, anything else as plain text."""
    if status == 500:
        await _respond(send, 500, orjson.dumps({"detail": "Internal Server Error"}))
    elif status == 502:
        await _respond(send, 502, _BAD_GATEWAY, ctype=b"text/html")
    else:
        await _respond(send, status, b"Service Unavailable", ctype=b"text/plain; charset=utf-8")


def _cycle(send: Send) -> Any:
    """uvicorn's per-request cycle behind `send`: the only handle on the connection."""
    cycle = getattr(send, "__self__", None)
    if cycle is None or not hasattr(cycle, "transport"):
        raise RuntimeError("connection faults need the sandbox to run under uvicorn")
    return cycle


async def _until_disconnected(cycle: Any) -> None:
    """Wait for uvicorn to notice the closed connection, so it sends no 500 of its own."""
    for _ in range(200):
        if cycle.disconnected:
            return
        await asyncio.sleep(0.005)


async def _reset(send: Send) -> None:
    """Drop the connection with a TCP RST (SO_LINGER 0) and no response at all."""
    cycle = _cycle(send)
    sock = cycle.transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    cycle.transport.abort()
    await _until_disconnected(cycle)


async def _truncate(send: Send, start: Message, body: bytes, cut: int) -> None:
    """Declare the full Content-Length, send part of the body, close: an incomplete read."""
    cycle = _cycle(send)
    await send(start)
    await send({"type": "http.response.body", "body": body[:cut], "more_body": True})
    cycle.transport.close()
    await _until_disconnected(cycle)
