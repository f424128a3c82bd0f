"""Configuration is checked before any request, with messages naming the variable."""

from __future__ import annotations

from datetime import date

import pytest

from devin_pipeline.settings import ConfigurationError, load_settings


def test_defaults_are_usable():
    settings = load_settings({})
    assert settings.base_url == "https://api.devin.ai"
    assert settings.partitions_start == date(2024, 1, 1)
    assert settings.include_deleted_orgs is True
    assert not settings.duckdb_path.endswith("/devin.duckdb")
    assert load_settings({"DEVIN_DUCKDB_LOCK_WAIT": "60"}).duckdb_lock_wait == 60.0


def test_a_start_date_back_to_2024_01_01_is_accepted():
    assert load_settings({"DEVIN_PARTITIONS_START": "2024-01-01"}).partitions_start == date(
        2024, 1, 1
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEVIN_PARTITIONS_START": "2024-13-01"}, "DEVIN_PARTITIONS_START"),
        ({"DEVIN_PARTITIONS_START": "yesterday"}, "DEVIN_PARTITIONS_START"),
        ({"DEVIN_PARTITIONS_START": "2999-01-01"}, "DEVIN_PARTITIONS_START"),
        ({"DEVIN_API_BASE_URL": "http://api.devin.ai"}, "DEVIN_API_BASE_URL"),
        ({"DEVIN_API_BASE_URL": "not a url"}, "DEVIN_API_BASE_URL"),
        ({"DEVIN_API_PAGE_SIZE": "0"}, "DEVIN_API_PAGE_SIZE"),
        ({"DEVIN_API_PAGE_SIZE": "201"}, "DEVIN_API_PAGE_SIZE"),
        ({"DEVIN_API_PAGE_SIZE": "many"}, "DEVIN_API_PAGE_SIZE"),
        ({"DEVIN_LOOKBACK_DAYS": "-1"}, "DEVIN_LOOKBACK_DAYS"),
        ({"DEVIN_CONCURRENCY": "0"}, "DEVIN_CONCURRENCY"),
        ({"DEVIN_DUCKDB_PATH": "/tmp/x/devin.duckdb"}, "DEVIN_DUCKDB_PATH"),
        ({"DEVIN_INCLUDE_DELETED_ORGS": "maybe"}, "DEVIN_INCLUDE_DELETED_ORGS"),
        ({"DEVIN_DUCKDB_LOCK_WAIT": "-5"}, "DEVIN_DUCKDB_LOCK_WAIT"),
        ({"DEVIN_DUCKDB_LOCK_WAIT": "forever"}, "DEVIN_DUCKDB_LOCK_WAIT"),
    ],
)
def test_invalid_settings_fail_with_the_variable_named(env, named):
    with pytest.raises(ConfigurationError, match=named):
        load_settings(env)
