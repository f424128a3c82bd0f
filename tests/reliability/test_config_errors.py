"""Invalid settings stop the code location from loading, before any request, naming the variable.

tests/test_settings.py covers `load_settings` itself; here the definitions module (what
`dagster dev` and `dagster asset materialize` load) and the CLI are held to it.
"""

from __future__ import annotations

import importlib
import sys

import pytest

from devin_pipeline.settings import ConfigurationError
from tests.reliability.conftest import CONFIG_RUN_KEY, SECRET

INVALID = [
    ("DEVIN_API_PAGE_SIZE", "500"),
    ("DEVIN_API_BASE_URL", "api.devin.ai"),
    ("DEVIN_API_BASE_URL", "http://api.devin.ai"),
    ("DEVIN_PARTITIONS_START", "2024-02-30"),
    ("DEVIN_LOOKBACK_DAYS", "-3"),
]


@pytest.mark.parametrize(("variable", "value"), INVALID)
def test_loading_the_definitions_refuses_an_invalid_setting(live, monkeypatch, variable, value):
    monkeypatch.setenv("DEVIN_API_KEY", SECRET)
    monkeypatch.setenv("DEVIN_API_BASE_URL", live.base_url)
    monkeypatch.setenv(variable, value)
    monkeypatch.delitem(sys.modules, "devin_pipeline.definitions", raising=False)
    with pytest.raises(ConfigurationError, match=variable) as caught:
        importlib.import_module("devin_pipeline.definitions")
    assert value.removeprefix("http://") in str(caught.value), "it shows what was given"
    assert live.sandbox.requests == []


def test_the_cli_refuses_an_invalid_setting_before_any_request(cli_runs):
    run = cli_runs.runs["page_size"]
    assert run.returncode != 0
    assert "ConfigurationError" in run.stderr and "DEVIN_API_PAGE_SIZE" in run.stderr
    assert "1..200, got 500" in run.stderr
    assert f"Bearer {CONFIG_RUN_KEY}" not in cli_runs.auth_headers(), "not one request"
