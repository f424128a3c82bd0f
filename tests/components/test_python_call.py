"""Without dg: one call builds an instance's Definitions from the same attributes."""

from __future__ import annotations

import dagster as dg
import pytest

from devin_pipeline.components import devin_definitions
from devin_pipeline.instance_names import InstanceNames
from devin_pipeline.sensors import concerns
from devin_pipeline.settings import ConfigurationError
from tests.tables import ALL_ASSETS


def test_devin_definitions_builds_an_instance_to_merge_by_hand():
    mine = dg.Definitions(assets=[dg.AssetSpec("their_own_table")])
    defs = dg.Definitions.merge(
        mine,
        devin_definitions(
            {
                "api_key": "{{ env.DEVIN_API_KEY }}",
                "duckdb_path": "/tmp/unused/acme_warehouse.duckdb",
                "translation": {"key_prefix": "acme"},
            }
        ),
    )
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {"their_own_table", *(f"acme/{table}" for table in ALL_ASSETS)}
    assert set(defs.resources or {}) == {"acme_devin_api", "acme_duckdb"}
    assert isinstance(defs.resources["acme_devin_api"].api_key, dg.EnvVar)


def test_devin_definitions_checks_the_attributes_as_the_yaml_does(monkeypatch):
    monkeypatch.setenv("DEVIN_TEST_LOOKBACK", "-3")
    with pytest.raises(ConfigurationError, match=r"lookback_days \(from DEVIN_TEST_LOOKBACK\)"):
        devin_definitions({"lookback_days": "{{ env.DEVIN_TEST_LOOKBACK }}"})


def test_each_instance_alerts_on_its_own_failed_runs_only():
    devin, acme = InstanceNames(), InstanceNames("acme")
    snapshots = {dg.AssetKey(["acme", "session_snapshots"])}
    assert concerns("__ASSET_JOB", snapshots, acme) and not concerns(
        "__ASSET_JOB", snapshots, devin
    )
    assert concerns("acme_session_snapshots_job", None, acme)
    assert not concerns("acme_session_snapshots_job", None, devin)
    assert concerns("session_snapshots_job", None, devin)
    assert concerns("__ASSET_JOB", None, devin) and concerns("__ASSET_JOB", None, acme)
