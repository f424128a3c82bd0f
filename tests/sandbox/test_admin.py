"""The admin endpoints and the CLI: driving a sandbox from another process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from devin_pipeline.sandbox import SANDBOX_API_KEY
from devin_pipeline.sandbox.cli import _parser, run_cli
from devin_pipeline.sandbox.vocab import PERMISSIONS

from .conftest import PATH, Served


@pytest.fixture
def live(serve) -> Served:
    return serve()


def admin(live: Served, path: str, body=None) -> requests.Response:
    url = f"{live.base_url}/_sandbox/{path}"
    if body is None and path == "state":
        return requests.get(url, timeout=5)
    return requests.post(url, json=body, timeout=5)


def test_state_counts_session_requests_only(live: Served):
    live.get(first=1)
    live.get(key=None)
    state = admin(live, "state").json()
    assert state == {"clock": live.sb.data.end, "requests": 2}


def test_clock_can_be_set_and_advanced(live: Served):
    now = live.sb.data.start + 86_400
    assert admin(live, "clock", {"now": now}).json()["clock"] == now
    assert admin(live, "clock", {"advance": 60}).json()["clock"] == now + 60
    assert live.sb.clock == now + 60
    assert admin(live, "clock", {"later": 1}).status_code == 422


def test_faults_can_be_set_over_http(live: Served):
    reply = admin(live, "faults", {"error_every": 1, "error_statuses": [503]})
    assert reply.status_code == 200
    assert reply.json()["error_statuses"] == [503]
    assert live.get().status_code == 503
    assert admin(live, "faults", {"no_such_fault": 1}).status_code == 422
    assert admin(live, "faults", {"cut_off_mode": "sideways"}).status_code == 422
    admin(live, "faults", {})
    assert live.get().status_code == 200


def test_reset_stats_clears_the_log_and_counters(live: Served):
    live.sb.faults = live.sb.faults.__class__(error_every=2)
    live.get()
    assert admin(live, "reset-stats").json()["requests"] == 0
    assert live.sb.requests == []
    assert [live.get().status_code for _ in range(2)] == [200, 500]


def test_cli_help_exits_cleanly(capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in (
        "--port",
        "--sessions",
        "--seed",
        "--start",
        "--days",
        "--bounds",
        "--latency-ms",
        "--consumption-date-mark",
        "--permissions",
    ):
        assert option in out


def test_cli_parses_permissions_and_date_mark(capsys):
    args = _parser().parse_args(
        ["--permissions", "ViewAccountSessions, ManageOrganizations", "--consumption-date-mark",
         "utc_midnight"]
    )  # fmt: skip
    assert args.permissions == {"ViewAccountSessions", "ManageOrganizations"}
    assert args.consumption_date_mark == "utc_midnight"
    assert _parser().parse_args([]).permissions == set(PERMISSIONS)
    assert _parser().parse_args(["--permissions", ""]).permissions == frozenset()
    with pytest.raises(SystemExit):
        _parser().parse_args(["--permissions", "ManageBilling"])
    assert "ManageBilling" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_serves_until_stopped(tmp_path):
    port = free_port()
    args = ["--port", str(port), "--sessions", "50", "--start", "2024-06-01", "--days", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "devin_pipeline.sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            try:
                state = requests.get(base + "/_sandbox/state", timeout=1).json()
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        assert state["clock"] == 1717200000 + 2 * 86_400
        headers = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}
        body = requests.get(base + PATH, headers=headers, params={"first": 200}, timeout=5).json()
        assert 0 < len(body["items"]) <= 50
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"DEVIN_API_BASE_URL=http://127.0.0.1:{port}" in out
    assert f"DEVIN_API_KEY={SANDBOX_API_KEY}" in out
    assert "/organizations" in out and "/consumption/daily" in out
    assert list(tmp_path.iterdir()) == []
