"""Every asset's `dagster/column_schema` is the table DuckDB creates, and every derived table's
`dagster/column_lineage` names real columns of its own upstream assets.

The warehouse is filled for real (every asset of the code location, against the sandbox), so a
new asset, or a column added to a CREATE statement, is checked without touching this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from devin_pipeline.definitions import build_defs
from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox, SandboxData
from devin_pipeline.schedules import range_tags
from devin_pipeline.settings import Settings
from tests.conftest import START
from tests.tables import ALL_TABLES, REPORTING

FIRST, LAST = START.isoformat(), "2024-06-03"


@pytest.fixture(scope="module")
def filled(
    sandbox_data: SandboxData, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dg.Definitions, Path, dg.DagsterInstance]]:
    """Every asset materialized: the partitioned ones over three days, then the rest."""
    root = tmp_path_factory.mktemp("columns")
    path = root / "warehouse.duckdb"
    with (
        Sandbox(sandbox_data).serve() as base_url,
        dg.instance_for_test() as instance,
        pytest.MonkeyPatch.context() as env,
    ):
        env.setenv("DEVIN_API_KEY", SANDBOX_API_KEY)  # read through EnvVar at run time
        settings = Settings(partitions_start=START, concurrency=2)
        defs = build_defs(replace(settings, duckdb_path=str(path), base_url=base_url))
        job = defs.resolve_implicit_global_asset_job_def()
        specs = list(defs.resolve_all_asset_specs())
        stages = [
            [s.key for s in specs if s.partitions_def is not None and s.partitions_def == p]
            for p in {s.partitions_def for s in specs if s.partitions_def is not None}
        ]
        stages = sorted(stages, key=lambda keys: "acu_consumption" in str(keys))
        for keys in [*stages, [s.key for s in specs if s.partitions_def is None]]:
            result = job.get_subset(asset_selection=set(keys)).execute_in_process(
                instance=instance, tags=range_tags(FIRST, LAST), raise_on_error=False
            )
            assert result.success, [e.message for e in result.all_events if e.is_failure]
        yield defs, path, instance


def duckdb_columns(path: Path, qualified: str) -> list[tuple[str, str]]:
    """(name, type) of a table as DuckDB made it, types written as the schemas write them."""
    schema, table = qualified.split(".")
    with duckdb.connect(str(path), read_only=True) as conn:
        rows = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [schema, table],
        ).fetchall()
    return [(name, _short_type(type_)) for name, type_ in rows]


def _short_type(type_: str) -> str:
    """`TIMESTAMPTZ`, and a STRUCT by its field names: `STRUCT(pr_url, pr_state)[]`."""
    type_ = type_.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
    return re.sub(r"(\w+) [A-Z]+(?=[,)])", r"\1", type_)


def declared(spec: dg.AssetSpec) -> list[tuple[str, str]]:
    schema = spec.metadata["dagster/column_schema"]
    return [(column.name, column.type) for column in schema.columns]


def table_specs(defs: dg.Definitions) -> list[dg.AssetSpec]:
    """Every asset but those that write a file (the dashboard), which have no columns."""
    return [s for s in defs.resolve_all_asset_specs() if s.key.path[-1] not in REPORTING]


def test_every_asset_declares_its_table_and_columns(filled):
    defs, _, _ = filled
    specs = table_specs(defs)
    assert sorted(s.key.path[-1] for s in specs) == sorted(ALL_TABLES)
    for spec in specs:
        assert "dagster/table_name" in spec.metadata, spec.key
        columns = spec.metadata["dagster/column_schema"].columns
        assert all(column.description for column in columns), spec.key


def test_declared_columns_are_the_tables_duckdb_created(filled):
    defs, path, instance = filled
    for spec in table_specs(defs):
        made = duckdb_columns(path, spec.metadata["dagster/table_name"])
        assert declared(spec) == made, spec.key
        event = instance.get_latest_materialization_event(spec.key)
        assert event is not None, spec.key
        emitted = event.asset_materialization.metadata.get("dagster/column_schema")
        if emitted is not None:  # the materialization's own schema, where an asset emits one
            assert [(c.name, c.type) for c in emitted.schema.columns] == made, spec.key


def test_column_lineage_names_upstream_columns(filled):
    defs, _, _ = filled
    specs = {spec.key: spec for spec in table_specs(defs)}
    for key, spec in specs.items():
        upstream = {dep.asset_key for dep in spec.deps}
        if not upstream:
            assert "dagster/column_lineage" not in spec.metadata, key
            continue
        lineage = _lineage(spec)
        own = {name for name, _ in declared(spec)}
        assert set(lineage) <= own, (key, set(lineage) - own)
        if spec.automation_condition is not None:  # derived from its inputs alone: every column
            assert set(lineage) == own, (key, own - set(lineage))
        for column, deps in lineage.items():
            for dep in deps:
                assert dep.asset_key in upstream, (key, column, dep.asset_key)
                their = {name for name, _ in declared(specs[dep.asset_key])}
                assert dep.column_name in their, (key, column, dep)
        assert "column_lineage" in spec.metadata, key  # the table the asset page shows


def test_a_prefixed_instance_points_its_lineage_at_its_own_assets():
    from devin_pipeline.components import devin_definitions

    defs = devin_definitions({"translation": {"key_prefix": "acme"}})
    spec = next(s for s in defs.resolve_all_asset_specs() if s.key.path[-1] == "org_daily_metrics")
    lineage = _lineage(spec)
    assert {dep.asset_key.path[0] for deps in lineage.values() for dep in deps} == {"acme"}


def _lineage(spec: dg.AssetSpec) -> dict:
    value = spec.metadata["dagster/column_lineage"]  # the object, or its MetadataValue
    return dict(getattr(value, "column_lineage", value).deps_by_column)
