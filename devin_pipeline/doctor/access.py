"""Can the pipeline reach the API and read each source: base URL, TLS, key, permissions.

`SOURCE_PROBES` is the table to extend when a source is added: one entry naming the source,
its endpoint (whose permission and on/off setting `resources/endpoints.py` declares), and
the cheapest request that needs that permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from devin_pipeline.doctor.prober import Answer, Prober
from devin_pipeline.doctor.report import Check
from devin_pipeline.resources.endpoints import (
    CYCLES,
    ENTERPRISE_CONSUMPTION,
    INSIGHTS,
    METRICS_USAGE,
    ORGANIZATIONS,
    SESSIONS,
    USER_CONSUMPTION,
    USERS,
    Endpoint,
)
from devin_pipeline.settings import Settings

ONE_ITEM = (("first", "1"),)


@dataclass(frozen=True)
class SourceProbe:
    """A source's permission check: the endpoint it reads, and where to ask (same permission)."""

    source: str
    endpoint: Endpoint
    probe: Endpoint | None = None  # None: ask `endpoint` itself
    params: tuple[tuple[str, str], ...] = ONE_ITEM

    def enabled(self, settings: Settings) -> bool:
        """Whether the pipeline reads this source (its setting is the component attribute)."""
        return self.endpoint.attribute is None or bool(getattr(settings, self.endpoint.attribute))

    @property
    def asked(self) -> Endpoint:
        return self.probe or self.endpoint


SOURCE_PROBES = (
    SourceProbe("sessions", SESSIONS),
    SourceProbe("organizations", ORGANIZATIONS),
    # The three members lists need the same permission: one asks for all.
    SourceProbe("members", USERS),
    # Not paged, no bounds: the answer also shows which instant `date` marks.
    SourceProbe("consumption", ENTERPRISE_CONSUMPTION, params=()),
    SourceProbe("user_consumption", USER_CONSUMPTION, ENTERPRISE_CONSUMPTION, params=()),
    SourceProbe("cycles", CYCLES),
    SourceProbe("insights", INSIGHTS),
    # Devin's own metrics: `usage` is the one whose times are optional.
    SourceProbe("metrics", METRICS_USAGE, params=()),
)


def key_check(api_key: str, variable: str) -> Check:
    """The key's shape, showing only its `cog_` prefix and its length."""
    if not api_key.strip():
        return Check("api.key", "fail", f"{variable} is not set", f"export {variable}=cog_...")
    if not api_key.startswith("cog_"):
        return Check(
            "api.key",
            "warn",
            f"{variable} does not start with cog_ ({len(api_key)} characters)",
            "Devin service-user keys start with cog_; check that the variable holds one.",
        )
    return Check("api.key", "ok", f"cog_... ({len(api_key)} characters) from {variable}")


def connection_checks(settings: Settings, answer: Answer, variable: str) -> list[Check]:
    """Base URL, TLS and key, told apart from the first request's answer."""
    url = settings.base_url
    https = urlsplit(url).scheme == "https"
    if answer.failure in ("network", "timeout", "bound"):
        return [
            Check(
                "api.base_url",
                "fail",
                f"{url} does not answer ({answer.failure}): {answer.detail}",
                "Check DEVIN_API_BASE_URL (a dedicated deployment has its own domain), DNS, "
                "and any proxy or firewall between this host and the API.",
                "DEVIN_API_BASE_URL",
            )
        ]
    checks = [Check("api.base_url", "ok", f"{url} answers ({_timing(answer)})")]
    if answer.failure == "tls":
        checks.append(
            Check(
                "api.tls",
                "fail",
                f"TLS failed: {answer.detail}",
                "The certificate is not valid for this host, or a proxy intercepts TLS: point "
                "REQUESTS_CA_BUNDLE at its CA bundle, or fix DEVIN_API_BASE_URL.",
            )
        )
        return checks
    tls = "certificate valid" if https else "plain HTTP (loopback only): no TLS"
    checks.append(Check("api.tls", "ok" if https else "skip", tls))
    return [*checks, _key_accepted(answer, variable)]


def _key_accepted(answer: Answer, variable: str) -> Check:
    if answer.status == 401:
        return Check(
            "api.key_accepted",
            "fail",
            "rejected (HTTP 401): not a valid key",
            f"Set {variable} to a current service-user key (Devin: Settings > Service users).",
        )
    if answer.status == 404:
        return Check(
            "api.key_accepted",
            "fail",
            f"HTTP 404 on {SESSIONS.path}: this base URL is not the Devin v3 API",
            "Set DEVIN_API_BASE_URL to the API origin, e.g. https://api.devin.ai.",
            "DEVIN_API_BASE_URL",
        )
    if answer.status in (200, 403):
        return Check("api.key_accepted", "ok", f"accepted (HTTP {answer.status})")
    return Check(
        "api.key_accepted",
        "fail",
        f"unexpected answer: {answer.status or answer.failure} {answer.detail}",
        "Retry later; if it persists, the API is failing.",
    )


def permission_checks(settings: Settings, prober: Prober) -> list[Check]:
    """One line per source of `SOURCE_PROBES`: granted, missing (and how to switch it off)."""
    return [_permission(probe, settings, prober) for probe in SOURCE_PROBES]


def _permission(probe: SourceProbe, settings: Settings, prober: Prober) -> Check:
    name, permission = f"permission.{probe.source}", probe.endpoint.permission
    switch = probe.endpoint.switch or ""
    if not probe.enabled(settings):
        return Check(name, "skip", f"{permission}: not checked, {switch}=false", setting=switch)
    answer = prober.get(probe.asked, probe.params)
    if answer.ok:
        return Check(name, "ok", f"{permission} granted", setting=switch, value="granted")
    if answer.status == 403:
        return Check(
            name,
            "fail",
            f"{permission} missing (HTTP 403 on {probe.asked.path})",
            probe.endpoint.permission_advice(),
            switch,
            "missing",
        )
    detail = f"{permission}: no answer ({answer.status or answer.failure}) {answer.detail}"
    return Check(name, "fail", detail[:300], value="unknown")


def _timing(answer: Answer) -> str:
    status = f"HTTP {answer.status}" if answer.status else answer.failure
    return f"{status} in {answer.seconds * 1000:.0f} ms"
