"""The YAML `translation:` block is Dagster's asset attributes (its own test kit's cases
pass), plus `key_prefix`, the instance's one name; earlier YAML keeps working or says what
to write instead."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import dagster as dg
import pytest
from dagster.components.testing import create_defs_folder_sandbox
from dagster.components.testing.test_cases import TestTranslation

from devin_pipeline.components import DevinWarehouseComponent
from devin_pipeline.definitions import build_defs
from devin_pipeline.settings import Settings
from tests.components.conftest import COMPONENT
from tests.tables import ALL_ASSETS

TABLES = ALL_ASSETS
UNUSED_FILE = "/tmp/unused/warehouse.duckdb"


def specs_of(defs: dg.Definitions) -> dict[dg.AssetKey, dg.AssetSpec]:
    return {
        spec.key: spec
        for spec in defs.resolve_all_asset_specs()
        if "dagster/auto_created_stub_asset" not in spec.metadata
    }


def load(attributes: dict, **beside: Any) -> tuple[DevinWarehouseComponent, dg.Definitions]:
    with create_defs_folder_sandbox() as sandbox:
        path = sandbox.scaffold_component(
            component_cls=DevinWarehouseComponent,
            defs_yaml_contents={"type": COMPONENT, "attributes": attributes, **beside},
        )
        with sandbox.load_component_and_build_defs(defs_path=path) as (component, defs):
            assert isinstance(component, DevinWarehouseComponent)
            return component, defs


class TestDevinTranslation(TestTranslation):
    """Dagster's standard cases, on the `sessions` asset; `key_prefix` replaces the
    instance's prefix (`devin`) rather than adding one."""

    def test_translation(
        self,
        attributes: dict[str, Any],
        assertion: Callable[[dg.AssetSpec], bool],
        key_modifier: Callable[[dg.AssetKey], dg.AssetKey] | None,
    ) -> None:
        _, defs = load({"duckdb_path": UNUSED_FILE, "translation": attributes})
        expected = dg.AssetKey(["devin", "sessions"])
        if key_modifier is not None:
            unprefixed = dg.AssetKey(["sessions"]) if "key_prefix" in attributes else expected
            expected = key_modifier(unprefixed)
        specs = specs_of(defs)
        assert expected in specs, sorted(k.to_user_string() for k in specs)
        assert assertion(specs[expected])
        assert len(specs) == len(TABLES)


def test_the_default_translation_keeps_the_code_locations_specs():
    _, defs = load({"duckdb_path": UNUSED_FILE})
    location = specs_of(build_defs(Settings(duckdb_path=UNUSED_FILE)))
    assert specs_of(defs).keys() == location.keys() == {dg.AssetKey(["devin", t]) for t in TABLES}
    for key, spec in specs_of(defs).items():
        theirs = location[key]
        assert (spec.group_name, spec.owners, spec.kinds, spec.tags) == (
            theirs.group_name, theirs.owners, theirs.kinds, theirs.tags,
        )  # fmt: skip
        assert spec.automation_condition == theirs.automation_condition


def test_earlier_yaml_keeps_working_prefix_owners_tags_kinds_automation_freshness():
    component, defs = load(
        {
            "duckdb_path": "/tmp/unused/acme_warehouse.duckdb",
            "translation": {
                "key_prefix": "acme",
                "owners": ["team:finops"],
                "tags": {"tier": "gold"},
                "kinds": ["duckdb"],
                # Only the assets that follow others: the snapshots follow the schedule.
                "automation_condition": "{{ spec.automation_condition and "
                "dg.AutomationCondition.on_cron('0 6 * * *') }}",
                "freshness_policy": "{{ spec.freshness_policy and dg.FreshnessPolicy.time_window("
                "fail_window=datetime.timedelta(hours=48)) }}",
            },
        }
    )
    specs = specs_of(defs)
    assert set(specs) == {dg.AssetKey(["acme", t]) for t in TABLES}
    snapshots, sessions = (
        specs[dg.AssetKey(["acme", "session_snapshots"])],
        specs[dg.AssetKey(["acme", "sessions"])],
    )
    assert all(s.owners == ["team:finops"] and s.kinds == {"duckdb"} for s in specs.values())
    assert all(s.tags["tier"] == "gold" for s in specs.values())
    assert sessions.automation_condition == dg.AutomationCondition.on_cron("0 6 * * *")
    assert snapshots.automation_condition is None, "the snapshots follow the schedule"
    assert sessions.freshness_policy == dg.FreshnessPolicy.time_window(
        fail_window=timedelta(hours=48)
    )
    assert sessions.deps[0].asset_key.path[0] == "acme"
    assert sessions.metadata["dagster/table_name"] == "acme.sessions"
    assert component.names.pool == "acme_duckdb_writer"
    assert {s.name for s in defs.schedules or []} == {
        "acme_daily_session_snapshots",
        "acme_hourly_in_progress_day",
        "acme_daily_acu_consumption",
    }
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert "org_acus_conserved" in checks


def test_group_names_as_a_template_on_the_default_group():
    _, defs = load(
        {
            "duckdb_path": UNUSED_FILE,
            "translation": {
                "group_name": "{{ {'ingestion': 'devin_raw', 'metrics': 'devin_marts'}"
                ".get(spec.group_name, spec.group_name) }}"
            },
        }
    )
    specs = specs_of(defs)
    groups = {key.path[-1]: spec.group_name for key, spec in specs.items()}
    assert groups["session_snapshots"] == "devin_raw" and groups["sessions"] == "devin_marts"
    assert groups["organizations"] == "directory"


def test_dagsters_post_processing_reaches_the_targeted_assets_only():
    rules = [{"target": "group:ingestion", "attributes": {"owners": ["team:ingest"]}}]
    _, defs = load({"duckdb_path": UNUSED_FILE}, post_processing={"assets": rules})
    owners = {key.path[-1]: spec.owners for key, spec in specs_of(defs).items()}
    assert owners["session_snapshots"] == ["team:ingest"]
    assert owners["sessions"] == ["team:data-platform"]


def test_the_earlier_group_names_fails_saying_what_to_write():
    with pytest.raises(Exception) as caught:
        load({"duckdb_path": UNUSED_FILE, "translation": {"group_names": {"ingestion": "raw"}}})
    message = "".join(traceback.format_exception(caught.value))
    assert "translation.group_names was replaced by group_name" in message


def test_a_new_key_renames_the_asset_in_its_dependents_checks_and_jobs():
    _, defs = load(
        {
            "duckdb_path": UNUSED_FILE,
            "translation": {"key": "{{ spec.key.to_user_string() + '_v2' }}"},
        }
    )
    graph = defs.resolve_asset_graph()
    snapshots = dg.AssetKey(["devin", "session_snapshots_v2"])
    assert snapshots in graph.get(dg.AssetKey(["devin", "sessions_v2"])).parent_keys
    assert {c.asset_key for c in graph.asset_check_keys} <= set(graph.get_all_asset_keys())
    job = defs.resolve_job_def("session_snapshots_job")
    assert set(job.asset_layer.selected_asset_keys) == {snapshots}


class TeamComponent(DevinWarehouseComponent):
    """What a team writes for what YAML cannot say: Dagster's override point."""

    def get_asset_spec(self, spec: dg.AssetSpec) -> dg.AssetSpec:
        spec = super().get_asset_spec(spec)
        return spec.replace_attributes(description=f"[finops] {spec.description}")


@pytest.mark.parametrize("table", TABLES)
def test_a_subclass_overriding_get_asset_spec_reaches_every_asset(table):
    component = TeamComponent.from_settings(Settings(duckdb_path=UNUSED_FILE))
    spec = specs_of(dg.build_defs_for_component(component))[dg.AssetKey(["devin", table])]
    assert spec.description and spec.description.startswith("[finops] ")
