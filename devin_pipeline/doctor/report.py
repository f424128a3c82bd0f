"""What `doctor` found: one `Check` per line, a verdict each, and how to render them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

# ok: works; fail: a run would fail (exit 1); warn: works, but fix it; info: how the API
# behaves (a finding); skip: not checked (switched off, or an earlier check failed).
VERDICTS = ("ok", "fail", "warn", "info", "skip")


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, the verdict, what was seen, what to do."""

    name: str
    verdict: str
    detail: str
    remedy: str = ""
    # The setting this finding bears on (its environment variable), when one applies.
    setting: str = ""
    # A short machine-readable value (an order, a policy, a mode), for scripts.
    value: Any = None


@dataclass
class DoctorReport:
    """Every check in order, and the requests made against the bound announced first."""

    target: str
    bound: int
    checks: list[Check] = field(default_factory=list)
    requests: int = 0

    def add(self, *checks: Check) -> None:
        self.checks.extend(checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.verdict == "fail"]

    @property
    def exit_code(self) -> int:
        """0 when everything the pipeline needs works, 1 when a required check failed."""
        return 1 if self.failed else 0

    def find(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)


def render_text(report: DoctorReport) -> str:
    """One line per check (`verdict  name  detail`), its remedy indented below when it has one."""
    width = max((len(c.name) for c in report.checks), default=10)
    lines = [report.target, f"At most {report.bound} requests to the API, none retried."]
    for check in report.checks:
        lines.append(f"{check.verdict:<5} {check.name:<{width}}  {check.detail}")
        if check.remedy:
            lines.append(f"{'':<5} {'':<{width}}  -> {check.remedy}")
    failed = len(report.failed)
    lines.append(
        f"{report.requests} requests made (bound {report.bound}). "
        + (f"{failed} required check(s) failed." if failed else "Everything needed works.")
    )
    return "\n".join(lines) + "\n"


def render_json(report: DoctorReport) -> str:
    """The report for scripts: target, request count and bound, every check, exit status."""
    body = {
        "target": report.target,
        "requests": {"made": report.requests, "bound": report.bound},
        "exit_code": report.exit_code,
        "checks": [asdict(c) for c in report.checks],
    }
    return json.dumps(body, indent=2, default=str) + "\n"
