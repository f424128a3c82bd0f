"""The metrics assets' materialization metadata; lineage and automation are in tests/ui and
tests/test_automation.py."""

from __future__ import annotations

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from devin_pipeline.assets.metrics import SESSIONS, SNAPSHOTS, daily_metrics, sessions
from devin_pipeline.warehouse.connection import prepare
from tests.snapshot_rows import DAY, T0, insert_versions, version

ORG = dg.AssetKey(["devin", "org_daily_metrics"])
CATEGORY = dg.AssetKey(["devin", "category_daily_metrics"])


def test_materializations_carry_counts_totals_schema_and_a_preview(duckdb_path, instance):
    merged = [{"pr_url": "https://github.com/acme/repo/pull/1", "pr_state": "merged"}]
    versions = [
        version("s1", T0 + 60, acus_consumed=2.0),
        version("s2", T0 + DAY, org_id="org-b", acus_consumed=3.5, pull_requests=merged),
    ]
    with duckdb.connect(str(duckdb_path)) as conn:
        insert_versions(prepare(conn), versions)
    result = dg.materialize(
        [dg.AssetSpec(SNAPSHOTS), sessions, daily_metrics],
        selection=[SESSIONS, *daily_metrics.keys],
        instance=instance,
        resources={"duckdb": DuckDBResource(database=str(duckdb_path))},
    )
    metadata = {
        e.asset_key: e.materialization.metadata for e in result.get_asset_materialization_events()
    }
    assert metadata[SESSIONS]["dagster/row_count"].value == 2
    assert metadata[SESSIONS]["total_acus"].value == 5.5
    org = metadata[ORG]
    assert (org["dagster/row_count"].value, org["total_acus"].value) == (2, 5.5)
    assert (org["sessions"].value, org["prs_merged"].value) == (2, 1)
    assert org["top_by_acus"].value.splitlines()[2].startswith("| org-b | 3.5 |")
    columns = [c.name for c in org["dagster/column_schema"].schema.columns]
    assert columns[:2] == ["metric_date", "org_id"] and "acus_consumed" in columns
    assert metadata[CATEGORY]["dagster/row_count"].value == 2
    user = metadata[dg.AssetKey(["devin", "user_daily_metrics"])]
    assert (user["dagster/row_count"].value, user["total_acus"].value) == (2, 5.5)
    user_columns = [c.name for c in user["dagster/column_schema"].schema.columns]
    assert user_columns[:4] == ["metric_date", "user_id", "user_kind", "user_name"]
    assert metadata[dg.AssetKey(["devin", "origin_daily_metrics"])]["total_acus"].value == 5.5
