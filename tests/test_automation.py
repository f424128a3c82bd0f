"""Downstream assets follow new snapshots, whatever materialized them (schedule, backfill, run)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import dagster as dg
from dagster_duckdb import DuckDBResource

from devin_pipeline.definitions import build_defs
from devin_pipeline.settings import Settings

DOWNSTREAM = {
    dg.AssetKey(["devin", "sessions"]),
    dg.AssetKey(["devin", "org_daily_metrics"]),
    dg.AssetKey(["devin", "category_daily_metrics"]),
}


def requested(defs: dg.Definitions, instance: dg.DagsterInstance, cursor=None):
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
    keys = {r.key for r in result.results if r.true_subset.size > 0}
    return keys, result.cursor


def test_metrics_follow_a_single_new_snapshot_partition(snapshot_runner, duckdb_path):
    settings = Settings(partitions_start=date(2024, 6, 1), duckdb_path=str(duckdb_path))
    defs = build_defs(settings)
    instance = snapshot_runner.instance
    keys, cursor = requested(defs, instance)
    assert keys == set(), "nothing to do before any snapshot exists"

    assert snapshot_runner.run("2024-06-03").success
    keys, cursor = requested(defs, instance, cursor)
    assert dg.AssetKey(["devin", "sessions"]) in keys
    # The usage dashboard follows the tables it shows, in the same request.
    assert dg.AssetKey(["devin", "usage_dashboard"]) in keys

    downstream = [a for a in defs.assets if dg.AssetKey(["devin", "sessions"]) in a.keys]
    downstream += [a for a in defs.assets if dg.AssetKey(["devin", "org_daily_metrics"]) in a.keys]
    result = dg.materialize(
        downstream,
        instance=instance,
        resources={"duckdb": DuckDBResource(database=str(duckdb_path))},
    )
    assert result.success
    keys, cursor = requested(defs, instance, cursor)
    assert keys == set(), "up to date: nothing requested again"

    assert snapshot_runner.run("2024-06-04").success
    keys, _ = requested(defs, instance, cursor)
    assert dg.AssetKey(["devin", "sessions"]) in keys


def test_plain_eager_would_never_fire_for_the_unpartitioned_metrics(snapshot_runner, duckdb_path):
    """Why the condition drops ~any_deps_missing: with plain eager() nothing is requested."""
    settings = Settings(partitions_start=date(2024, 6, 1), duckdb_path=str(duckdb_path))
    defs = build_defs(settings)
    plain_eager = dg.map_asset_specs(
        lambda spec: (
            spec.replace_attributes(automation_condition=dg.AutomationCondition.eager())
            if spec.key in DOWNSTREAM
            else spec
        ),
        list(defs.assets),
    )
    plain = dg.Definitions(assets=plain_eager, resources=defs.resources)
    assert snapshot_runner.run("2024-06-03").success
    keys, _ = requested(plain, snapshot_runner.instance)
    assert keys & DOWNSTREAM == set()


def test_organizations_and_the_reconciliation_follow_their_inputs(pipeline):
    """The derived directory and billing tables are recomputed when a listing, the snapshots
    or a billing day change; the listings themselves make requests and follow the schedule."""
    settings = replace(pipeline.settings, duckdb_path=str(pipeline.duckdb_path))
    defs = build_defs(settings)
    organizations = dg.AssetKey(["devin", "organizations"])
    reconciliation = dg.AssetKey(["devin", "acu_reconciliation"])
    keys, cursor = requested(defs, pipeline.instance)
    assert keys == set()
    assert pipeline.materialize("devin/organization_versions").success
    keys, cursor = requested(defs, pipeline.instance, cursor)
    # Its children with it (org_name): the org metrics and the reconciliation.
    assert {organizations, reconciliation, dg.AssetKey(["devin", "org_daily_metrics"])} <= keys
    listings = {
        dg.AssetKey(["devin", "organization_versions"]),
        dg.AssetKey(["devin", "member_listings"]),
    }
    assert not keys & listings
    # The reconciliation reads the ACU attribution the sessions step keeps.
    assert pipeline.materialize(
        "devin/organizations", "devin/sessions", "devin/acu_reconciliation"
    ).success
    keys, cursor = requested(defs, pipeline.instance, cursor)
    assert organizations not in keys and reconciliation not in keys
    assert pipeline.materialize("devin/acu_consumption", first="2024-06-02").success
    keys, _ = requested(defs, pipeline.instance, cursor)
    assert reconciliation in keys


def test_users_and_the_adoption_tables_follow_later_snapshots_without_requests(pipeline):
    """The listing came first; people first named by later snapshots get their row (and
    their seat) as soon as those snapshots are written, with no members request."""
    settings = replace(pipeline.settings, duckdb_path=str(pipeline.duckdb_path))
    defs = build_defs(settings)
    keys, cursor = requested(defs, pipeline.instance)
    assert pipeline.materialize("devin/session_snapshots", first="2024-06-01").success
    assert pipeline.materialize("devin/member_listings").success
    assert pipeline.materialize("devin/sessions", "devin/users").success
    keys, cursor = requested(defs, pipeline.instance, cursor)
    assert pipeline.materialize("devin/session_snapshots", first="2024-06-02", last="2024-06-07")
    keys, cursor = requested(defs, pipeline.instance, cursor)
    users = dg.AssetKey(["devin", "users"])
    adoption = {dg.AssetKey(["devin", t]) for t in ("active_user_metrics", "seat_usage")}
    assert users in keys
    assert dg.AssetKey(["devin", "member_listings"]) not in keys, "listings follow the schedule"
    pipeline.live.sandbox.reset_stats()
    result = pipeline.materialize("devin/sessions", "devin/users")
    keys, cursor = requested(defs, pipeline.instance, cursor)
    assert adoption <= keys, "the adoption tables follow their inputs in turn"
    assert pipeline.materialize("devin/seat_usage").success
    assert result.success and pipeline.live.sandbox.requests == []
    [cover] = [e for e in result.get_asset_check_evaluations()
               if e.check_name == "users_cover_snapshot_users"]  # fmt: skip
    assert cover.passed
    late = pipeline.rows(
        "SELECT count(DISTINCT user_id) FROM devin.session_snapshots WHERE user_id NOT IN "
        "(SELECT user_id FROM devin.session_snapshots WHERE snapshot_date = DATE '2024-06-01' "
        "AND user_id IS NOT NULL)"
    )
    assert late != [(0,)], "later snapshots name people the first day did not"
    [(seats,)] = pipeline.rows("SELECT count(*) FROM devin.seat_usage")
    [(people,)] = pipeline.rows("SELECT count(*) FROM devin.users WHERE kind = 'user'")
    assert seats == people > 0
