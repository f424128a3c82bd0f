"""The usage dashboard as a reader sees it: Debian's chromium opens the file from disk with every
network request refused; no console error, every chart drawn, tooltips on hover.

`make screenshot` (--screenshots docs/img) saves the README's picture of the demo's page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from devin_pipeline.dashboard.build import build_dashboard
from devin_pipeline.settings import Settings
from tests.dashboard import warehouses
from tests.dashboard.known_warehouse import WEEK, write_known_warehouse
from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.slow
pipeline_dashboard = warehouses.pipeline_dashboard  # the fixture, in this directory too
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(f"{CHROMIUM} not installed (Debian package chromium; CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("dashboard-profile")),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        # No network: only the file itself may load.
        context.route("**/*", _file_only)
        try:
            yield context
        finally:
            context.close()


def _file_only(route) -> None:
    if route.request.url.startswith("file://"):
        route.continue_()
    else:
        route.abort()


def _open(context, path: Path):
    """The page opened from disk, after every chart rendered; with its errors and requests."""
    page = context.new_page()
    errors: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: blocked.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')]"
        ".every(el => el.dataset.rendered === 'true')"
    )
    return page, errors, blocked


def _check_page(page, errors: list[str], blocked: list[str]) -> int:
    charts = page.locator("[data-chart]")
    count = charts.count()
    assert count >= 5
    for i in range(count):
        marks = charts.nth(i).locator(
            "svg .mark-rect path, svg .mark-line path, svg .mark-symbol path"
        )
        assert marks.count() > 0, charts.nth(i).get_attribute("data-chart")
    bar = page.locator('[data-chart="acus_by_org"] svg .mark-rect path').first
    bar.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert "acus" in tooltip.inner_text()
    assert errors == [] and blocked == []
    return count


def test_the_demo_page_renders_offline_with_tooltips(
    browser_context, pipeline_dashboard, screenshot_dir
):
    # `make screenshot` points at the demo's own page; the tests use the pipeline's warehouse.
    shown = os.environ.get("DEVIN_UI_DEMO_ROOT")
    path = Path(shown) / "devin_usage_dashboard.html" if shown else pipeline_dashboard.page
    page, errors, blocked = _open(browser_context, path)
    _check_page(page, errors, blocked)
    page.mouse.move(0, 0)
    page.screenshot(path=str(screenshot_dir / "dashboard.png"), full_page=True)
    # A legend entry hides its series: the org's bars fade.
    page.locator('[data-chart="acus_by_org"] .role-legend-symbol path').first.click()
    faded = page.locator('[data-chart="acus_by_org"] svg .mark-rect path[opacity="0.15"]')
    faded.first.wait_for(state="attached")
    page.close()


def test_every_later_panel_renders_on_the_hand_made_warehouse(browser_context, tmp_path):
    database = write_known_warehouse(tmp_path / "known.duckdb")
    with duckdb.connect(str(database), read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        dashboard = build_dashboard(conn, "devin", tmp_path / "page.html", Settings(), WEEK)
    page, errors, blocked = _open(browser_context, dashboard.path)
    assert _check_page(page, errors, blocked) == len(dashboard.charts) == 10
    for name in ("active_users", "seats", "outcomes", "budget", "top_users"):
        assert page.locator(f'[data-chart="{name}"] svg').count() == 1
    page.close()
