"""Runs the doctor against a sandbox started with given options, recording every output."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devin_pipeline.doctor import DoctorReport, render_json, render_text, run_doctor
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox, SandboxData
from devin_pipeline.settings import Settings
from tests.conftest import START


@dataclass
class DoctorRun:
    """One doctor run: its report, both renderings, and the requests the sandbox logged."""

    report: DoctorReport
    logged: int
    output: str

    def value(self, name: str) -> Any:
        check = self.report.find(name)
        assert check is not None, f"no check {name} in:\n{self.output}"
        return check.value

    def verdict(self, name: str) -> str:
        check = self.report.find(name)
        assert check is not None, f"no check {name} in:\n{self.output}"
        return check.verdict


@pytest.fixture
def doctor(sandbox_data: SandboxData, tmp_path: Path) -> Iterator[Callable[..., DoctorRun]]:
    """`doctor(api_key=..., settings=..., **sandbox options)` against a fresh sandbox."""

    def run(api_key: str = SANDBOX_API_KEY, settings: Settings | None = None, **options: Any):
        sandbox = Sandbox(sandbox_data, **options)
        with sandbox.serve() as base_url:
            base = settings or Settings(partitions_start=START)
            checked = Settings(
                **{**base.__dict__, "base_url": base_url, "duckdb_path": str(tmp_path / "w.duckdb")}
            )
            report = run_doctor(checked, api_key)
        output = render_text(report) + render_json(report)
        return DoctorRun(report, len(sandbox.requests), output)

    yield run
