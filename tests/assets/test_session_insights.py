"""Session insights read from the sandbox for real (HTTP, DuckDB, Dagster): many pages, late
analyses, unknown fields, no free text without personal data, a 403 failing only this asset."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from devin_pipeline.sandbox import FaultPlan, Sandbox, SandboxData
from devin_pipeline.sandbox.query import Filters
from devin_pipeline.sandbox.vocab import CYCLES_PATH, INSIGHTS_PATH
from devin_pipeline.settings import Settings
from tests.conftest import START, LiveSandbox, Pipeline
from tests.reliability.conftest import step_error

DAY = 86_400
LAST = "2024-06-07"
SETTINGS = Settings(partitions_start=START, concurrency=2)
COLUMNS = ("session_size", "num_user_messages", "num_devin_messages", "has_analysis",
           "analysis_category", "issues", "action_items_by_type")  # fmt: skip


@contextmanager
def serving(
    data: SandboxData, duckdb_path, instance, clock: int, settings: Settings = SETTINGS, **options
) -> Iterator[Pipeline]:
    sandbox = Sandbox(data, clock=clock, **options)
    with sandbox.serve() as base_url:
        yield Pipeline(LiveSandbox(sandbox, base_url), duckdb_path, instance, settings)


def served(sandbox: Sandbox, day: str | None = None) -> dict[str, dict[str, Any]]:
    """What the insights list holds at the sandbox's clock, for one created day or all."""
    items = sandbox.insights.items(Filters(include_deleted_orgs=True), sandbox.clock)
    return {
        i["session_id"]: i
        for i in items
        if day is None or datetime.fromtimestamp(i["created_at"], UTC).date().isoformat() == day
    }


def stored(pipeline: Pipeline) -> dict[str, dict[str, Any]]:
    rows = pipeline.rows(
        f"SELECT session_id, {', '.join(COLUMNS)}, CAST(analysis AS VARCHAR) "
        "FROM devin.session_insights"
    )
    out = {}
    for sid, *values, analysis in rows:
        record = dict(zip(COLUMNS, values, strict=True))
        record["analysis"] = None if analysis is None else json.loads(analysis)
        out[sid] = record
    return out


def test_many_pages_every_session_with_its_analysis_as_sent(sandbox_data, duckdb_path, instance):
    with serving(sandbox_data, duckdb_path, instance, sandbox_data.end + 3 * DAY) as pipeline:
        result = pipeline.materialize(
            "devin/session_insights", first=START.isoformat(), last=LAST, page_size=25
        )
        assert result.success
        expected = served(pipeline.live.sandbox)
        got = stored(pipeline)
        pages = [r for r in pipeline.live.sandbox.requests if r[0] == INSIGHTS_PATH]
    assert len(pages) >= len(expected) // 25 > 20
    assert set(got) == set(expected) and len(got) == sandbox_data.session_count
    for sid, item in expected.items():
        row, analysis = got[sid], item["analysis"]
        assert row["session_size"] == item["session_size"]
        assert row["num_user_messages"] == item["num_user_messages"]
        assert row["num_devin_messages"] == item["num_devin_messages"]
        assert row["has_analysis"] is (analysis is not None)
        assert row["analysis"] == analysis  # as sent, unknown keys included
        if analysis is not None:
            types = Counter(a["type"] for a in analysis["action_items"])
            assert row["action_items_by_type"] == dict(types)
            assert row["issues"] == len(analysis["issues"])
            assert row["analysis_category"] == analysis["classification"]["category"]
    kept = [r for r in got.values() if r["analysis"] and "sentiment" in r["analysis"]]
    unknown_type = [
        r for r in got.values() if "security_review" in (r["action_items_by_type"] or {})
    ]
    never = [r for r in got.values() if not r["has_analysis"]]
    assert kept and unknown_type and 0 < len(never) < len(got) / 3


def test_an_analysis_that_arrives_later_replaces_the_row(sandbox_data, duckdb_path, instance):
    with serving(sandbox_data, duckdb_path, instance, sandbox_data.end) as pipeline:
        assert pipeline.materialize("devin/session_insights", first=LAST).success
        before = stored(pipeline)
        pipeline.live.sandbox.advance(3 * DAY)
        assert pipeline.materialize("devin/session_insights", first=LAST).success
        after = stored(pipeline)
        expected = served(pipeline.live.sandbox, LAST)
    arrived = [s for s in before if not before[s]["has_analysis"] and after[s]["has_analysis"]]
    assert len(arrived) > 10 and set(after) == set(before) == set(expected)
    for sid in arrived:
        assert after[sid]["analysis"] == expected[sid]["analysis"]
    counts = pipeline.rows(
        "SELECT count(*), count(DISTINCT session_id) FROM devin.session_insights"
    )
    assert counts == [(len(expected), len(expected))]


def free_text(analysis: dict[str, Any]) -> list[str]:
    """Every string of the analysis that can quote people."""
    texts = [i["issue"] for i in analysis.get("issues", [])]
    texts += [a["action_item"] for a in analysis.get("action_items", [])]
    texts += [t[k] for t in analysis.get("timeline", []) for k in ("title", "description")]
    for usage in analysis.get("note_usage", {}).get("good_usages", []):
        texts += [usage["message"], usage["reason"]]
    prompt = analysis.get("suggested_prompt", {})
    return [*texts, prompt["original_prompt"], prompt["suggested_prompt"]]


def test_without_personal_data_no_free_text_of_any_analysis_is_in_the_file(
    sandbox_data, duckdb_path, instance
):
    settings = replace(SETTINGS, store_personal_data=False)
    clock = sandbox_data.end + 3 * DAY
    with serving(sandbox_data, duckdb_path, instance, clock, settings) as pipeline:
        result = pipeline.materialize("devin/session_insights", first=START.isoformat(), last=LAST)
        assert result.success
        expected = served(pipeline.live.sandbox)
        got = stored(pipeline)
        dump = str(pipeline.rows("SELECT * FROM devin.session_insights"))
    texts = {
        t for item in expected.values() if item["analysis"] for t in free_text(item["analysis"])
    }
    assert len(texts) > 50
    content = duckdb_path.read_bytes()
    wal = duckdb_path.with_name(duckdb_path.name + ".wal")
    content += wal.read_bytes() if wal.exists() else b""
    assert [t for t in texts if t in dump or t.encode() in content] == []
    # Counts and labels stay.
    analysed = [s for s, item in expected.items() if item["analysis"]]
    for sid in analysed:
        analysis = expected[sid]["analysis"]
        assert got[sid]["issues"] == len(analysis["issues"])
        assert got[sid]["analysis_category"] == analysis["classification"]["category"]
        assert got[sid]["analysis"]["classification"] == analysis["classification"]
        labels = [i["label"] for i in got[sid]["analysis"]["issues"]]
        assert labels == [i["label"] for i in analysis["issues"]]


def test_a_refused_insights_list_fails_only_its_asset(sandbox_data, duckdb_path, instance):
    refused = {"refused_paths": (INSIGHTS_PATH,)}
    with serving(sandbox_data, duckdb_path, instance, sandbox_data.end, **refused) as pipeline:
        result = pipeline.materialize(
            "devin/session_snapshots", "devin/session_insights", first="2024-06-03"
        )
        snapshots = pipeline.rows("SELECT count(*) FROM devin.session_snapshots")
    assert not result.success and len(result.get_step_failure_events()) == 1
    message = step_error(result).message
    assert "403" in message and "ViewAccountSessions" in message
    assert "DEVIN_READ_INSIGHTS" in message and "insights_enabled" in message
    assert snapshots[0][0] > 50


def test_the_daily_job_reads_insights_for_its_days_and_lists_cycles():
    from devin_pipeline.definitions import build_defs

    job = build_defs(SETTINGS).resolve_job_def("daily_ingestion_job")
    keys = {k.to_user_string() for k in job.asset_layer.executable_asset_keys}
    assert {"devin/session_insights", "devin/billing_cycles", "devin/session_snapshots"} <= keys


def test_switched_off_insights_make_no_request(sandbox_data, duckdb_path, instance):
    settings = replace(SETTINGS, insights_enabled=False)
    with serving(sandbox_data, duckdb_path, instance, sandbox_data.end, settings) as pipeline:
        result = pipeline.materialize("devin/session_insights", first="2024-06-03")
        requests = [r for r in pipeline.live.sandbox.requests if r[0] == INSIGHTS_PATH]
    assert result.success and requests == []
    [event] = result.asset_materializations_for_node("devin__session_insights")
    assert event.metadata["read"].value is False


def test_faults_on_the_insights_and_cycles_lists_are_retried(sandbox_data, duckdb_path, instance):
    plan = FaultPlan(error_every=3, rate_limit_every=4, paths=(INSIGHTS_PATH, CYCLES_PATH))
    with serving(sandbox_data, duckdb_path, instance, sandbox_data.end + 3 * DAY) as pipeline:
        pipeline.live.sandbox.faults = plan
        result = pipeline.materialize(
            "devin/session_insights", "devin/billing_cycles", first="2024-06-04", page_size=20
        )
        assert result.success
        expected = served(pipeline.live.sandbox, "2024-06-04")
        got = stored(pipeline)
        cycles = pipeline.rows("SELECT count(*) FROM devin.billing_cycles")
    assert set(got) == set(expected) and len(got) > 50
    assert all(got[s]["analysis"] == item["analysis"] for s, item in expected.items())
    assert cycles == [(len(sandbox_data.enterprise.cycles.listed(sandbox_data.end + 3 * DAY)),)]


def test_turning_personal_data_off_scrubs_analyses_kept_from_earlier_runs(
    sandbox_data, duckdb_path, instance
):
    clock = sandbox_data.end + 3 * DAY
    with serving(sandbox_data, duckdb_path, instance, clock) as pipeline:
        assert pipeline.materialize("devin/session_insights", first="2024-06-02").success
        kept = served(pipeline.live.sandbox, "2024-06-02")
        before = str(pipeline.rows("SELECT * FROM devin.session_insights"))
        pipeline.settings = replace(SETTINGS, store_personal_data=False)
        assert pipeline.materialize("devin/session_insights", first="2024-06-05").success
        after = stored(pipeline)
        dump = str(pipeline.rows("SELECT * FROM devin.session_insights"))
    texts = {t for item in kept.values() if item["analysis"] for t in free_text(item["analysis"])}
    assert [t for t in texts if t in before] and [t for t in texts if t in dump] == []
    for sid, item in kept.items():
        if item["analysis"]:
            assert after[sid]["analysis"]["classification"] == item["analysis"]["classification"]
            assert after[sid]["issues"] == len(item["analysis"]["issues"])
