"""One `dagster-webserver` for the whole UI test session, on a free loopback port.

It runs the real code location (workspace.yaml) against a temporary DAGSTER_HOME holding a
copy of dagster_home/dagster.yaml, so the tests also prove the local instance config loads.
It is started with `Popen` and stopped by its own pid: started with `&` from a
non-interactive shell it would ignore SIGTERM (docs/dagster-notes.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devin_pipeline.settings import REPO_ROOT

STARTUP_TIMEOUT = 120.0  # cold start: webserver plus a code server that imports the package
LOCATION = "devin_pipeline"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        metavar="DIR",
        default=None,
        help="Write the UI screenshots to DIR (the README's images: docs/img) instead of tmp.",
    )


@dataclass(frozen=True)
class Webserver:
    """A running webserver: its origin and a GraphQL helper."""

    url: str
    log: Path

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POSTs to /graphql; returns `data`, failing the test on GraphQL errors."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = json.load(response)
        assert not payload.get("errors"), payload["errors"]
        return payload["data"]


@pytest.fixture(scope="session")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webserver]:
    root = tmp_path_factory.mktemp("ui")
    # `make screenshot` points at the instance and file the demo just filled, so the pictures
    # show materialized assets and passed checks; the tests use an empty instance.
    shown = os.environ.get("DEVIN_UI_DEMO_ROOT")
    home = Path(shown) / "dagster_home" if shown else root / "dagster_home"
    if not shown:
        home.mkdir()
        shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    log = root / "webserver.log"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "DEVIN_DUCKDB_PATH": str(Path(shown or root) / "warehouse.duckdb"),
        # Resolved only when a run starts; the UI tests start none.
        "DEVIN_API_KEY": "ui-test-key-unused",
    }
    command = [
        str(Path(sys.executable).parent / "dagster-webserver"),
        *("--host", "127.0.0.1", "--port", str(port)),
        *("--workspace", str(REPO_ROOT / "workspace.yaml")),
    ]
    with log.open("wb") as out:
        # Its own session: the code server it spawns can be reaped by this process group.
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Webserver(f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_loaded(server, process)
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def screenshot_dir(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """--screenshots DIR when given (relative to the repository), else a temp dir."""
    option = request.config.getoption("--screenshots", default=None)
    if option is None:
        return tmp_path_factory.mktemp("screenshots")
    directory = Path(option) if Path(option).is_absolute() else REPO_ROOT / option
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _wait_until_loaded(server: Webserver, process: subprocess.Popen[bytes]) -> None:
    """Until the webserver answers and the code location is LOADED; fails on a load error."""
    query = """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus
                 locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {process.returncode}:\n{_tail(server)}")
        try:
            entries = server.graphql(query)["workspaceOrError"]["locationEntries"]
        except (urllib.error.URLError, OSError, ValueError, KeyError):
            entries = []
        for entry in entries:
            if entry["name"] != LOCATION or entry["loadStatus"] != "LOADED":
                continue
            loaded = entry["locationOrLoadError"] or {}
            if loaded.get("__typename") == "PythonError":
                pytest.fail(f"code location {LOCATION} failed to load: {loaded['message']}")
            return
        time.sleep(0.5)
    pytest.fail(f"code location not loaded after {STARTUP_TIMEOUT:.0f}s:\n{_tail(server)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM by pid, then SIGKILL to its process group if it has not gone after 15 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the group is this child's own (new session)
    process.wait(timeout=15)


def _tail(server: Webserver, chars: int = 4000) -> str:
    return server.log.read_text(errors="replace")[-chars:] if server.log.exists() else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
