"""Reads back the data a dashboard page embeds (`<script id="dashboard-data">`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from devin_pipeline.dashboard.page import DATA_ID


def page_data(path: Path) -> dict[str, Any]:
    """The JSON object the page renders from."""
    html = path.read_text("utf-8")
    match = re.search(rf'<script id="{DATA_ID}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no embedded data in {path}"
    return json.loads(match.group(1))
