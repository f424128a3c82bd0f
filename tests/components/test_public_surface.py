"""The component's public surface, pinned: a change to any asset spec, check, job, schedule,
sensor or resource name shows in review as a change of the snapshot
(`pytest tests/components/test_public_surface.py --snapshot-update` rewrites it)."""

from __future__ import annotations

from typing import Any

import dagster as dg
import pytest

from devin_pipeline.components import devin_definitions


def partitions(spec: dg.AssetSpec) -> str | None:
    definition = spec.partitions_def
    if isinstance(definition, dg.TimeWindowPartitionsDefinition):
        start = definition.start.strftime(definition.fmt)
        return f"{definition.cron_schedule} from {start} {definition.timezone}"
    return None if definition is None else type(definition).__name__


def automation(condition: dg.AutomationCondition | None) -> str | None:
    """The condition's tree by name: a label alone would hide a changed condition."""
    if condition is None:
        return None
    children = [automation(child) for child in condition.children]
    return condition.name + (f"({', '.join(map(str, children))})" if children else "")


def asset_entry(spec: dg.AssetSpec, checks: list[str]) -> dict[str, Any]:
    return {
        "group": spec.group_name,
        "kinds": sorted(spec.kinds),
        "owners": list(spec.owners),
        "tags": {k: v for k, v in sorted(spec.tags.items()) if not k.startswith("dagster/kind/")},
        "deps": sorted(dep.asset_key.to_user_string() for dep in spec.deps),
        "partitions": partitions(spec),
        "automation": automation(spec.automation_condition),
        "freshness": None if spec.freshness_policy is None else repr(spec.freshness_policy),
        "checks": checks,
    }


def surface(defs: dg.Definitions) -> dict[str, Any]:
    """Every name and spec attribute a project sees, sorted so the snapshot is deterministic."""
    graph = defs.resolve_asset_graph()
    checks: dict[dg.AssetKey, list[str]] = {}
    for check_key in graph.asset_check_keys:
        checks.setdefault(check_key.asset_key, []).append(check_key.name)
    specs = sorted(defs.resolve_all_asset_specs(), key=lambda s: s.key.to_user_string())
    return {
        "assets": {
            s.key.to_user_string(): asset_entry(s, sorted(checks.get(s.key, []))) for s in specs
        },
        "jobs": sorted(job.name for job in defs.jobs or []),
        "schedules": sorted(
            f"{s.name}: {s.cron_schedule} -> {s.job_name}"  # type: ignore[union-attr]
            for s in defs.schedules or []
        ),
        "sensors": sorted(sensor.name for sensor in defs.sensors or []),
        "resources": sorted(defs.resources or {}),
        "executor": defs.executor is not None,
    }


@pytest.mark.parametrize("prefix", ["devin", "acme"])
def test_the_public_surface_matches_the_snapshot(prefix, snapshot):
    defs = devin_definitions(
        {
            "duckdb_path": f"/tmp/unused/{prefix}_warehouse.duckdb",
            "partitions_start": "2024-01-01",
            "translation": {"key_prefix": prefix},
        }
    )
    assert surface(defs) == snapshot
