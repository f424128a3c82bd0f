"""`run_doctor`: every check of `doctor` in order, within a request bound known beforehand."""

from __future__ import annotations

from datetime import date

from devin_pipeline.doctor.access import (
    ONE_ITEM,
    SOURCE_PROBES,
    connection_checks,
    key_check,
    permission_checks,
)
from devin_pipeline.doctor.behaviour import BEHAVIOUR_REQUESTS, behaviour_checks
from devin_pipeline.doctor.prober import Answer, Prober
from devin_pipeline.doctor.report import Check, DoctorReport
from devin_pipeline.doctor.warehouse_checks import warehouse_checks
from devin_pipeline.resources.endpoints import ENTERPRISE_CONSUMPTION, SESSIONS
from devin_pipeline.settings import Settings

# One request per distinct probe of SOURCE_PROBES, plus the busy day's.
REQUEST_BOUND = len({(p.asked.path, p.params) for p in SOURCE_PROBES}) + BEHAVIOUR_REQUESTS


def run_doctor(
    settings: Settings,
    api_key: str,
    *,
    key_variable: str = "DEVIN_API_KEY",
    schema: str = "devin",
    day: date | None = None,
) -> DoctorReport:
    """Checks the API (at most REQUEST_BOUND requests) and the DuckDB file of `settings`."""
    target = (
        f"devin-pipeline doctor: API {settings.base_url}, warehouse {settings.duckdb_path} "
        f"(schema {schema})"
    )
    report = DoctorReport(target, REQUEST_BOUND)
    report.add(key_check(api_key, key_variable))
    if report.checks[-1].verdict != "fail":
        prober = Prober.for_settings(settings, api_key, REQUEST_BOUND)
        report.add(*_api_checks(settings, prober, key_variable, day))
        report.requests = prober.sent
    report.add(*warehouse_checks(settings.duckdb_path, schema))
    return report


def _api_checks(
    settings: Settings, prober: Prober, key_variable: str, day: date | None
) -> list[Check]:
    first = prober.get(SESSIONS, ONE_ITEM)
    checks = connection_checks(settings, first, key_variable)
    if any(c.verdict == "fail" for c in checks):
        return [*checks, Check("api.checks", "skip", "the rest of the API checks need an answer")]
    checks.extend(permission_checks(settings, prober))
    if not first.ok:
        return [*checks, Check("api.behaviour", "skip", "sessions are not readable")]
    consumption = (
        prober.get(ENTERPRISE_CONSUMPTION, ())
        if settings.consumption_enabled
        else Answer(None, failure="off", detail="DEVIN_READ_CONSUMPTION=false")
    )
    return [*checks, *behaviour_checks(settings, prober, day, consumption)]
