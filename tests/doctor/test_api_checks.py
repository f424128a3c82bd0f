"""`doctor` against the sandbox started with each option: it reports what the sandbox does,
within the request bound it prints, and never prints the key."""

from __future__ import annotations

import pytest

from devin_pipeline.doctor import REQUEST_BOUND
from devin_pipeline.resources.endpoints import (
    ENTERPRISE_CONSUMPTION,
    METRICS_USAGE,
    ORGANIZATIONS,
    USERS,
)
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox
from devin_pipeline.sandbox.vocab import PERMISSIONS
from devin_pipeline.settings import Settings
from tests.conftest import START


def _bounded_and_secret(run) -> None:
    assert 0 < run.logged <= run.report.requests <= REQUEST_BOUND
    assert f"At most {REQUEST_BOUND} requests" in run.output
    assert SANDBOX_API_KEY not in run.output and SANDBOX_API_KEY[4:] not in run.output


@pytest.mark.parametrize(
    ("order", "shown"),
    [
        ("created_desc", "created_at_desc"),
        ("updated_asc", "updated_at_asc"),
        ("session_id", "none"),
    ],
)
def test_the_list_order_and_whether_keyset_paging_runs(doctor, order, shown):
    run = doctor(order=order)
    assert run.value("api.order") == shown
    assert ("keyset paging" in run.report.find("api.order").detail) == (shown != "none")
    assert run.report.exit_code == 0
    _bounded_and_secret(run)


@pytest.mark.parametrize("total", ["sometimes", "always", "never"])
def test_whether_total_is_sent(doctor, total):
    run = doctor(total=total)
    assert run.value("api.total") == total
    _bounded_and_secret(run)


@pytest.mark.parametrize("bounds", ["exclusive", "inclusive"])
def test_whether_updated_before_is_inclusive(doctor, bounds):
    run = doctor(bounds=bounds)
    assert run.value("api.bounds") == bounds
    _bounded_and_secret(run)


@pytest.mark.parametrize("mark", ["billing_start", "utc_midnight", "pacific_dst"])
def test_which_instant_a_consumption_date_marks(doctor, mark):
    run = doctor(consumption_date_mark=mark)
    assert run.value("api.consumption_date") == mark
    _bounded_and_secret(run)


def test_page_latency_is_measured(doctor):
    run = doctor()
    assert run.verdict("api.latency") == "info" and run.value("api.latency") >= 0
    assert "ms" in run.report.find("api.latency").detail


SOURCES = {
    "ViewAccountSessions": ("sessions", None),
    "ManageOrganizations": ("organizations", ORGANIZATIONS),
    "ManageAccountMembership": ("members", USERS),
    "ViewAccountConsumption": ("consumption", ENTERPRISE_CONSUMPTION),
    "ViewAccountMetrics": ("metrics", METRICS_USAGE),
}


@pytest.mark.parametrize("missing", PERMISSIONS)
def test_each_missing_permission_fails_naming_it_and_its_switch(doctor, missing):
    run = doctor(permissions=frozenset(PERMISSIONS) - {missing})
    source, endpoint = SOURCES[missing]
    check = run.report.find(f"permission.{source}")
    assert check.verdict == "fail" and check.value == "missing" and missing in check.detail
    if endpoint is not None:
        assert endpoint.switch in check.remedy and endpoint.attribute in check.remedy
    granted = [
        c for c in run.report.checks if c.name.startswith("permission.") and c.value == "granted"
    ]
    assert {c.detail.split()[0] for c in granted} == set(PERMISSIONS) - {missing}
    assert run.report.exit_code == 1
    _bounded_and_secret(run)


def test_a_source_switched_off_is_not_asked(doctor):
    settings = Settings(partitions_start=START, organizations_enabled=False)
    run = doctor(settings=settings, permissions=frozenset(PERMISSIONS) - {"ManageOrganizations"})
    assert run.verdict("permission.organizations") == "skip"
    assert "DEVIN_READ_ORGANIZATIONS=false" in run.report.find("permission.organizations").detail
    assert run.report.exit_code == 0


def test_every_source_the_pipeline_reads_is_probed(doctor):
    run = doctor()
    probed = {c.name for c in run.report.checks if c.name.startswith("permission.")}
    assert {"permission.cycles", "permission.insights", "permission.metrics"} <= probed
    assert all(run.verdict(name) == "ok" for name in probed)


def test_a_wrong_key_is_told_apart_and_never_printed(doctor):
    wrong = "cog_wrong_0000secret1111"
    run = doctor(api_key=wrong)
    check = run.report.find("api.key_accepted")
    assert check.verdict == "fail" and "401" in check.detail
    assert run.verdict("api.base_url") == "ok"
    assert run.report.find("permission.organizations") is None, "no probes after a 401"
    assert wrong not in run.output and wrong[4:] not in run.output
    assert f"cog_... ({len(wrong)} characters)" in run.output
    assert run.report.exit_code == 1 and run.logged == 1


def test_a_key_without_permissions_is_accepted_but_every_source_fails(doctor):
    from devin_pipeline.sandbox.auth import SANDBOX_NO_PERMISSION_KEY

    run = doctor(api_key=SANDBOX_NO_PERMISSION_KEY)
    assert run.verdict("api.key_accepted") == "ok"
    assert run.verdict("permission.sessions") == "fail"
    assert SANDBOX_NO_PERMISSION_KEY not in run.output


def test_a_stopped_server_is_a_network_failure(sandbox_data, tmp_path):
    from devin_pipeline.doctor import render_text, run_doctor

    with Sandbox(sandbox_data).serve() as base_url:
        pass  # stopped: nothing listens on the port any more
    settings = Settings(base_url=base_url, duckdb_path=str(tmp_path / "w.duckdb"))
    report = run_doctor(settings, SANDBOX_API_KEY)
    check = report.find("api.base_url")
    assert check.verdict == "fail" and "(network)" in check.detail
    assert "DEVIN_API_BASE_URL" in check.remedy
    assert report.find("api.key_accepted") is None and report.exit_code == 1
    assert SANDBOX_API_KEY not in render_text(report)


def test_an_empty_key_makes_no_request(doctor):
    run = doctor(api_key="")
    assert run.verdict("api.key") == "fail" and run.logged == 0


def test_an_untrusted_certificate_is_a_tls_failure_not_a_network_one(tmp_path):
    import http.server
    import ssl
    import subprocess
    import threading

    from devin_pipeline.doctor import run_doctor

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base_url = f"https://127.0.0.1:{server.server_address[1]}"
        settings = Settings(base_url=base_url, duckdb_path=str(tmp_path / "w.duckdb"))
        report = run_doctor(settings, SANDBOX_API_KEY)
    finally:
        server.shutdown()
    assert report.find("api.base_url").verdict == "ok"
    tls = report.find("api.tls")
    assert tls.verdict == "fail" and "CERTIFICATE_VERIFY_FAILED" in tls.detail
    assert "REQUESTS_CA_BUNDLE" in tls.remedy and report.exit_code == 1


def test_the_busy_day_is_yesterday_on_an_api_whose_data_is_current(tmp_path):
    from datetime import UTC, datetime, timedelta

    from devin_pipeline.doctor import run_doctor
    from devin_pipeline.sandbox import SandboxData

    today = datetime.now(UTC).date()
    data = SandboxData.generate(sessions=300, seed=3, start=today - timedelta(days=5), days=5)
    sandbox = Sandbox(data)
    with sandbox.serve() as base_url:
        settings = Settings(base_url=base_url, duckdb_path=str(tmp_path / "w.duckdb"))
        report = run_doctor(settings, SANDBOX_API_KEY)
    assert report.find("api.busy_day").detail.startswith(str(today - timedelta(days=1)))
    sessions = [dict(q) for path, q, _ in sandbox.requests if path == "/v3/enterprise/sessions"]
    recent = [q for q in sessions if "updated_after" in q and "updated_before" not in q]
    assert len(recent) == 1, "the recent page answered: no unfiltered page was needed"
    assert all("updated_after" in q or q == {"first": "1"} for q in sessions)
    assert len(sandbox.requests) <= report.requests <= REQUEST_BOUND


def test_a_page_too_short_to_show_an_order_says_so():
    from devin_pipeline.doctor.behaviour import order_check

    items = [{"created_at": 10 - n, "updated_at": 20 + n} for n in range(5)]
    check = order_check({"items": items, "has_next_page": True})
    assert check.verdict == "skip" and check.value == "unknown" and "too few" in check.detail
