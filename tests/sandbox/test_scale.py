"""100k sessions: generated and walked end to end in seconds (measured, not asserted)."""

from __future__ import annotations

import logging
import time
from datetime import date

from devin_pipeline.sandbox import Sandbox, SandboxData

log = logging.getLogger(__name__)


def test_100k_sessions_full_walk(serve, record_property):
    started = time.perf_counter()
    data = SandboxData.generate(sessions=100_000, seed=7, start=date(2024, 6, 1), days=14)
    generated = time.perf_counter() - started
    live = serve(data)
    assert isinstance(live.sb, Sandbox)
    started = time.perf_counter()
    items = live.walk(first=200, include_deleted_orgs="true")
    walked = time.perf_counter() - started
    assert len(items) == len({i["session_id"] for i in items}) == data.session_count
    rate = len(items) / walked
    record_property("generate_seconds", round(generated, 2))
    record_property("walk_sessions_per_second", round(rate))
    log.warning("100k: generate %.2fs, full walk %.2fs = %.0f sessions/s", generated, walked, rate)
