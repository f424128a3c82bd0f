"""Sandbox: a live fake of the enterprise API with a settable clock, faults and a request log."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from functools import cached_property
from typing import Any

import uvicorn

from devin_pipeline.sandbox.app import build_app
from devin_pipeline.sandbox.middleware import FaultMiddleware
from devin_pipeline.sandbox.state import BOUNDS, SandboxState

__all__ = ["BOUNDS", "Sandbox"]


class Sandbox(SandboxState):
    """A `SandboxState` (its options are documented there) served over HTTP by uvicorn."""

    @cached_property
    def app(self) -> FaultMiddleware:
        """The ASGI app: FastAPI's routers reading this state, behind the fault middleware."""
        return FaultMiddleware(build_app(self), self)

    def _config(self, **kwargs: Any) -> uvicorn.Config:
        return uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            proxy_headers=False,
            **kwargs,
        )

    @contextlib.contextmanager
    def serve(self) -> Iterator[str]:
        """Run on 127.0.0.1 and a free port in a background thread; yields the origin URL."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        server = _QuickServer(self._config())
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="devin-sandbox", daemon=True
        )
        thread.start()
        try:
            _wait_started(server, thread)
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            server.force_exit = True  # don't wait for stalled ("slow") requests
            thread.join(timeout=10)
            sock.close()

    def serve_forever(self, port: int, host: str = "127.0.0.1") -> None:
        """Blocking server for the CLI; Ctrl-C stops it."""
        uvicorn.Server(self._config(host=host, port=port)).run()


class _QuickServer(uvicorn.Server):
    """uvicorn, stopping in milliseconds instead of ~0.2 s: tests start one server each."""

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            await asyncio.sleep(0.01)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Close everything at once; in-flight requests (e.g. stalled ones) are cancelled."""
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        for task in list(self.server_state.tasks):
            task.cancel()


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.005)
