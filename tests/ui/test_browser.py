"""The asset graph as a user sees it: Debian's chromium, driven by Playwright, on the webserver.

Playwright's own browser download cannot work on these machines, so it launches
/usr/bin/chromium (.ci/install-system-deps installs it); without it the tests skip.
`pytest tests/ui/test_browser.py --screenshots docs/img` (make screenshot) refreshes the
README's images; otherwise the screenshots go to a temp dir.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.conftest import Webserver

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
# As the machine notes say: without the background-networking flags chromium keeps trying to
# reach Google's hosts, which this machine's closed network refuses, many at a time.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ASSETS = ["session_snapshots", "sessions", "org_daily_metrics", "category_daily_metrics"]
TIMEOUT_MS = 60_000  # the first page load compiles a large bundle and lays out the graph


@pytest.fixture(scope="module")
def page(webserver: Webserver, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(f"{CHROMIUM} not installed (Debian package chromium; CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # A fresh instance shows a "join the community" dialog over the graph; mark it seen.
    webserver.graphql("mutation { setNuxSeen }")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh user-data-dir
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1600, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context.new_page()
        finally:
            context.close()


def test_asset_graph_draws_the_four_assets(page, webserver: Webserver, screenshot_dir: Path):
    page.goto(f"{webserver.url}/asset-groups")
    _expand_all_groups(page)
    # Reloading lays the expanded graph out to fit the viewport (the UI keeps it expanded).
    page.reload()
    graph = page.locator("svg foreignObject")
    for name in ASSETS:
        graph.get_by_text(name, exact=True).wait_for()
    for name in ASSETS:
        assert graph.get_by_text(name, exact=True).count() == 1, name
    # Node statuses arrive after the layout; a screenshot before them shows "Loading...".
    page.wait_for_function("() => !document.body.innerText.includes('Loading')")
    path = screenshot_dir / "asset-graph.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 20_000


def test_asset_page_shows_description_and_lineage(page, webserver: Webserver, screenshot_dir: Path):
    page.goto(f"{webserver.url}/assets/devin/org_daily_metrics")
    page.get_by_text("org_daily_metrics", exact=True).first.wait_for()
    page.get_by_text("Upstream assets").wait_for()
    page.get_by_role("link", name="devin / sessions").first.wait_for()
    assert page.get_by_text("No description found").count() == 0
    path = screenshot_dir / "asset-page.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 20_000


def _expand_all_groups(page) -> None:
    """Clicks each collapsed group node's unfold icon (a graph with several groups opens folded)."""
    unfold = page.locator('svg foreignObject [aria-label="unfold_more"]')
    page.locator("svg foreignObject").first.wait_for()
    for _ in range(10):
        if unfold.count() == 0:
            return
        # dispatch, not click: after the first group unfolds, the next icon can sit under the
        # side panel, which would intercept a real pointer click.
        unfold.first.dispatch_event("click")
        page.wait_for_timeout(300)
    assert unfold.count() == 0, "asset groups still folded after 10 clicks"
