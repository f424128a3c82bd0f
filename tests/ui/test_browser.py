"""The asset graph as a user sees it: Debian's chromium, driven by Playwright, on the webserver.

Playwright's own browser download cannot work on these machines, so it launches
/usr/bin/chromium (`make system-deps` installs it; `DEVIN_TEST_CHROMIUM` names another path);
without it the tests skip, and the end of the run says so.
`pytest tests/ui/test_browser.py --screenshots docs/img` (make screenshot) refreshes the
README's images; otherwise the screenshots go to a temp dir.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import skip_without_system_package
from tests.tables import ALL_TABLES
from tests.ui.conftest import Webserver

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("DEVIN_TEST_CHROMIUM", "/usr/bin/chromium"))
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
ASSETS = ALL_TABLES
GROUPS = ("adoption", "billing", "directory", "ingestion", "metrics", "outcomes")
# Twenty-one assets in six groups, one above the other: a tall viewport, zoomed out, shows them.
GRAPH_VIEWPORT = {"width": 2000, "height": 3400}
ZOOM_OUT_CLICKS = 8
TIMEOUT_MS = 60_000  # the first page load compiles a large bundle and lays out the graph


@pytest.fixture(scope="module")
def page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        skip_without_system_package(f"browser tests: {CHROMIUM} (Debian package chromium) missing")
    sync_api = pytest.importorskip("playwright.sync_api")
    webserver: Webserver = request.getfixturevalue("webserver")  # only once a browser is there
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


def test_asset_graph_draws_every_asset(page, webserver: Webserver, screenshot_dir: Path):
    page.set_viewport_size(GRAPH_VIEWPORT)
    # A graph with several groups opens folded, and lays out only what it shows: open it with
    # every group unfolded (the UI keeps the unfolded groups in the URL).
    unfolded = ",".join(f"global@global:{group}" for group in GROUPS)
    page.goto(f"{webserver.url}/asset-groups?expanded={quote(unfolded)}")
    graph = page.locator("svg foreignObject")
    # The UI draws only the nodes in view, and where it centres the graph depends on its
    # layout: wait for any node, zoom out, then for the first asset of the chain.
    graph.first.wait_for()
    _zoom_out(page, ZOOM_OUT_CLICKS)
    graph.get_by_text("session_snapshots", exact=True).first.wait_for()
    # Node statuses arrive after the layout; a screenshot before them shows "Loading...".
    page.wait_for_function("() => !document.body.innerText.includes('Loading')")
    shown = graph.evaluate_all("nodes => nodes.map(n => n.textContent.trim())")
    path = screenshot_dir / "asset-graph.png"
    page.screenshot(path=str(path))  # first: it shows what a failure below is about
    for name in ASSETS:  # a zoomed-out node elides the middle of a long name
        head, tail = name[:8], name[-8:]
        # Zoomed in, a node's text goes on with its status after the name.
        drawn = (t.startswith(name) or (t.startswith(head) and t.endswith(tail)) for t in shown)
        assert any(drawn), name
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


def test_asset_page_shows_column_lineage(page, webserver: Webserver, screenshot_dir: Path):
    """A derived table's page lists which upstream columns feed each of its columns."""
    page.goto(f"{webserver.url}/assets/devin/org_daily_metrics")
    page.get_by_text("column_lineage", exact=True).first.wait_for()
    # The overview renders twice as the definition, then the materializations, arrive.
    page.wait_for_timeout(2000)
    row = page.locator("tr", has=page.get_by_text("column_lineage", exact=True)).first
    row.scroll_into_view_if_needed()
    shown = row.inner_text()
    for column, source in [
        ("org_name", "devin/organizations.name"),
        ("acus_consumed", "devin/session_snapshots.acus_consumed"),
        ("metric_date", "devin/sessions.created_at"),
    ]:
        assert column in shown and source in shown, (column, source, shown)
    path = screenshot_dir / "column-lineage.png"
    row.screenshot(path=str(path))
    assert path.stat().st_size > 10_000


def _zoom_out(page, clicks: int) -> None:
    """Clicks the graph's zoom-out control (bottom right; it has no label to find it by)."""
    width, height = GRAPH_VIEWPORT["width"], GRAPH_VIEWPORT["height"]
    for _ in range(clicks):
        page.mouse.click(width - 29, height - 150)
        page.wait_for_timeout(300)
