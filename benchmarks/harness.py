"""Shared benchmark plumbing: a sandbox in its own process, contenders in theirs, one table.

The sandbox runs as a separate process so its CPU never competes for our GIL, and it is
restarted for every contender so none profits from the item cache another one warmed.
Each contender runs in a subprocess reaped with `os.wait4`, whose rusage gives that process's
own peak RSS (ru_maxrss, including any child it waited for, e.g. Dagster's step process).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import requests

from devin_pipeline.sandbox import SANDBOX_API_KEY

REPO = Path(__file__).resolve().parent.parent
DEFAULT_START = date(2024, 6, 1)


@dataclass(frozen=True)
class SandboxSpec:
    """What the sandbox serves: `sessions` created over `days` UTC days from `start`.

    The benchmarks' default data is `bursty` (business-hour bursts, hundreds of versions in
    each day's edge seconds), the harder shape for a guaranteed walk; `smooth` is the other.
    """

    sessions: int
    days: int = 30
    start: date = DEFAULT_START
    latency_ms: float = 0.0
    seed: int = 7
    profile: str = "bursty"
    order: str = "created_desc"
    total: str = "sometimes"

    @property
    def label(self) -> str:
        return f"{self.profile} data, {self.order} order, total {self.total}"


@dataclass(frozen=True)
class Measured:
    """A finished process: wall seconds, CPU seconds (all its threads), peak RSS, stdout."""

    wall: float
    cpu: float
    peak_rss_mb: float
    stdout: str


@dataclass(frozen=True)
class Result:
    """One contender's run: what it read, how long it took, its CPU and the API's, its RSS."""

    name: str
    rows: int
    requests: int
    seconds: float
    process: Measured
    api_cpu: float
    extra: dict[str, object]

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def add_data_arguments(parser: argparse.ArgumentParser, profiles: Sequence[str]) -> None:
    """--profiles / --orders / --totals: the sandbox configurations a benchmark runs over."""
    parser.add_argument("--profiles", nargs="+", default=list(profiles), help="Data profiles.")
    parser.add_argument("--orders", nargs="+", default=["created_desc"], help="List orders.")
    parser.add_argument("--totals", nargs="+", default=["sometimes"], help="`total` policies.")


def data_specs(args: argparse.Namespace, **fields: object) -> Iterator[SandboxSpec]:
    """One spec per profile x order x total policy of the parsed arguments."""
    for profile, order, total in itertools.product(args.profiles, args.orders, args.totals):
        yield SandboxSpec(profile=profile, order=order, total=total, **fields)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class SandboxProcess:
    """A running sandbox: its origin and its pid (to read how much CPU serving took)."""

    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU the sandbox process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def sandbox_process(spec: SandboxSpec) -> Iterator[SandboxProcess]:
    """Serves `spec` from `python -m devin_pipeline.sandbox` until the block ends."""
    port = free_port()
    argv = [sys.executable, "-m", "devin_pipeline.sandbox", "--port", str(port)]
    argv += ["--sessions", str(spec.sessions), "--days", str(spec.days), "--seed", str(spec.seed)]
    argv += ["--start", spec.start.isoformat(), "--latency-ms", str(spec.latency_ms)]
    argv += ["--profile", spec.profile, "--order", spec.order, "--total", spec.total]
    proc = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, url)
        yield SandboxProcess(url, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 300  # generating 1M sessions takes a few seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the sandbox exited with {proc.returncode}")
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(url + "/_sandbox/state", timeout=5).ok:
                return
        time.sleep(0.2)
    raise RuntimeError("the sandbox did not start in 300 s")


def run_measured(
    argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 3600
) -> Measured:
    """Runs `argv` to its end and measures it; fails loudly on a non-zero exit."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        out.seek(0)
        stdout = out.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:4]} exited with {proc.returncode}:\n{stdout[-2000:]}")
    if wall > timeout:
        raise RuntimeError(f"{argv[:4]} took {wall:.0f}s, over {timeout:.0f}s")
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(wall, cpu, usage.ru_maxrss / 1024, stdout)


def run_contender(
    name: str, module: str, sandbox: SandboxProcess, spec: SandboxSpec, *args: str
) -> Result:
    """Runs `python -m <module>` against the sandbox in its own process and reads its report."""
    argv = [sys.executable, "-m", module, *args, "--base-url", sandbox.url]
    argv += ["--start", spec.start.isoformat(), "--days", str(spec.days)]
    api_cpu = sandbox.cpu_seconds()
    measured = run_measured(argv, env=contender_env(sandbox.url))
    api_cpu = sandbox.cpu_seconds() - api_cpu
    report = json.loads(measured.stdout.strip().splitlines()[-1])
    rows, requests_made, seconds = report.pop("rows"), report.pop("requests"), report.pop("seconds")
    return Result(name, rows, requests_made, seconds, measured, api_cpu, report)


def contender_env(base_url: str, **extra: str) -> dict[str, str]:
    """The environment a pipeline process needs to read the sandbox."""
    return {
        **os.environ,
        "DEVIN_API_BASE_URL": base_url,
        "DEVIN_API_KEY": SANDBOX_API_KEY,
        **extra,
    }


def print_table(title: str, results: Sequence[Result], baseline: Result, days: int) -> None:
    """Requests (per day, and against the bare loop's one cursor walk a day), wall and its
    ratio to the bare loop of the same run, CPU (the process's, and the walk's own per version
    against the bare loop's), the sandbox's CPU, peak RSS, load."""
    print(f"\n{title} (load average {os.getloadavg()[0]:.1f})")
    head = ("contender", "rows", "requests", "req/day", "x bare req", "wall s", "sessions/s")
    head += ("x bare wall", "CPU s", "walk CPU s", "x bare CPU/version", "API CPU s", "RSS MB")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in results:
        cells = (
            r.name,
            f"{r.rows:,}",
            f"{r.requests:,}",
            f"{r.requests / days:.1f}",
            f"{r.requests / baseline.requests:.3f}",
            f"{r.seconds:.2f}",
            f"{r.rate:,.0f}",
            f"{r.seconds / baseline.seconds:.2f}",
            f"{r.process.cpu:.1f}",
            *_walk_cpu_cells(r, baseline),
            f"{r.api_cpu:.1f}",
            f"{r.process.peak_rss_mb:.0f}",
        )
        print("| " + " | ".join(cells) + " |", flush=True)


def _walk_cpu_cells(result: Result, baseline: Result) -> tuple[str, str]:
    """The walk's own CPU (start-up excluded), and its CPU per version over the bare loop's;
    a dash for a contender that does not report it (a whole `dagster` process)."""
    cpu, bare = result.extra.get("walk_cpu"), baseline.extra.get("walk_cpu")
    if not isinstance(cpu, float):
        return "—", "—"
    if not isinstance(bare, float) or not result.rows or not baseline.rows:
        return f"{cpu:.2f}", "—"
    return f"{cpu:.2f}", f"{(cpu / result.rows) / (bare / baseline.rows):.2f}"
