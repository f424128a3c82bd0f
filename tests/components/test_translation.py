"""The YAML `translation:` block shows in every asset spec the instance produces."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg
import pytest
from dagster.components.testing import create_defs_folder_sandbox

from devin_pipeline.components import DevinTranslator, DevinWarehouseComponent
from devin_pipeline.definitions import build_defs
from devin_pipeline.settings import Settings
from tests.components.conftest import COMPONENT
from tests.tables import ALL_ASSETS

TABLES = ALL_ASSETS


def specs_of(defs: dg.Definitions) -> dict[dg.AssetKey, dg.AssetSpec]:
    return {spec.key: spec for spec in defs.resolve_all_asset_specs()}


def load(attributes: dict) -> tuple[DevinWarehouseComponent, dg.Definitions]:
    with create_defs_folder_sandbox() as sandbox:
        path = sandbox.scaffold_component(
            component_cls=DevinWarehouseComponent,
            defs_yaml_contents={"type": COMPONENT, "attributes": attributes},
        )
        with sandbox.load_component_and_build_defs(defs_path=path) as (component, defs):
            assert isinstance(component, DevinWarehouseComponent)
            return component, defs


def test_the_default_translation_keeps_the_code_locations_specs():
    _, defs = load({"duckdb_path": "/tmp/unused/warehouse.duckdb"})
    location = specs_of(build_defs(Settings(duckdb_path="/tmp/unused/warehouse.duckdb")))
    assert specs_of(defs).keys() == location.keys() == {dg.AssetKey(["devin", t]) for t in TABLES}
    for key, spec in specs_of(defs).items():
        theirs = location[key]
        assert (spec.group_name, spec.owners, spec.kinds, spec.tags) == (
            theirs.group_name, theirs.owners, theirs.kinds, theirs.tags,
        )  # fmt: skip
        assert spec.automation_condition == theirs.automation_condition


def test_prefix_groups_owners_tags_kinds_and_automation_show_in_the_specs():
    component, defs = load(
        {
            "duckdb_path": "/tmp/unused/acme_warehouse.duckdb",
            "translation": {
                "key_prefix": "acme",
                "group_names": {"ingestion": "devin_raw", "metrics": "devin_marts"},
                "owners": ["team:finops"],
                "tags": {"tier": "gold"},
                "kinds": ["duckdb"],
                "automation_condition": "{{ dg.AutomationCondition.on_cron('0 6 * * *') }}",
                "freshness_policy": "{{ dg.FreshnessPolicy.time_window("
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
    assert (snapshots.group_name, sessions.group_name) == ("devin_raw", "devin_marts")
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
    assert {s.name for s in defs.schedules} == {
        "acme_daily_session_snapshots",
        "acme_hourly_in_progress_day",
        "acme_daily_acu_consumption",
    }
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert "org_acus_conserved" in checks


class TeamTranslator(DevinTranslator):
    """What a team writes for what YAML cannot say."""

    def get_asset_spec(self, spec: dg.AssetSpec) -> dg.AssetSpec:
        spec = super().get_asset_spec(spec)
        return spec.replace_attributes(description=f"[finops] {spec.description}")


class TeamComponent(DevinWarehouseComponent):
    @property
    def translator(self) -> DevinTranslator:
        return TeamTranslator(self.translation)


@pytest.mark.parametrize("table", TABLES)
def test_a_subclassed_translator_reaches_every_asset(table):
    component = TeamComponent.from_settings(Settings(duckdb_path="/tmp/unused/w.duckdb"))
    spec = specs_of(dg.build_defs_for_component(component))[dg.AssetKey(["devin", table])]
    assert spec.description and spec.description.startswith("[finops] ")
