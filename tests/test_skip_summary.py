"""`make test` without chromium says which tests it did not run and what installs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from devin_pipeline.settings import REPO_ROOT


def test_a_run_without_chromium_names_the_skipped_group_and_the_command(tmp_path: Path):
    env = os.environ | {"DEVIN_TEST_CHROMIUM": str(tmp_path / "no-chromium")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/ui/test_browser.py", "-q", "-p", "no:cacheprovider",
         "--basetemp", str(tmp_path / "run")],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.split("not run on this machine", 1)[-1]
    assert "skipped in tests/ui/test_browser.py: browser tests:" in summary, result.stdout
    assert "no-chromium (Debian package chromium) missing" in summary
    assert summary.rstrip().count("make system-deps") >= 2  # the group's line and the last line
