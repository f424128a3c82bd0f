"""`devin-pipeline`: --help of every command, progress lines, and `report` in its three formats
against a warehouse filled by the real pipeline (sandbox -> snapshots -> metrics)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from rich.console import Console

from devin_pipeline.definitions import build_defs
from devin_pipeline.progress import PROGRESS_LOGGER, progress_logger, progress_run_config
from devin_pipeline.sandbox import SANDBOX_API_KEY
from devin_pipeline.schedules import RANGE_END_TAG, RANGE_START_TAG
from devin_pipeline.settings import REPO_ROOT, Settings
from tests.conftest import DAYS, START, PipelineWarehouse

CLI = Path(sys.executable).parent / "devin-pipeline"
LAST = START + timedelta(days=DAYS - 1)
TABLES = {"org": "devin.org_daily_metrics", "category": "devin.category_daily_metrics"}
MORE_TABLES = {"user": "devin.user_daily_metrics", "origin": "devin.origin_daily_metrics"}


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    return subprocess.run(
        [str(CLI), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


@pytest.mark.parametrize(
    "command", [[], ["demo"], ["sandbox"], ["report"], ["doctor"], ["dashboard"]]
)
def test_help_of_every_command(command):
    result = _cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: devin-pipeline {' '.join(command)}".rstrip())
    assert "--help" in result.stdout


def test_report_refuses_a_missing_file_and_a_reversed_range(tmp_path):
    missing = _cli("report", "--database", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 1
    assert "no DuckDB file" in missing.stderr
    reversed_range = _cli("report", "--start", "2024-06-05", "--end", "2024-06-01")
    assert reversed_range.returncode == 2
    assert "after --end" in reversed_range.stderr


def test_report_names_a_table_the_file_does_not_have_yet(tmp_path):
    database = tmp_path / "snapshots-only.duckdb"
    with duckdb.connect(str(database)) as conn:
        conn.execute("CREATE SCHEMA devin")
    result = _cli("report", "--database", str(database), "--billing")
    assert result.returncode == 1
    assert "acu_reconciliation" in result.stderr and "Traceback" not in result.stderr


# --- a warehouse filled by the real pipeline ---------------------------------------------


@pytest.fixture(scope="module")
def warehouse(pipeline_warehouse: PipelineWarehouse) -> Path:
    """The file every asset filled for START..LAST, in the demo's steps (tests/conftest.py)."""
    return pipeline_warehouse.database


def _table_rows(database: Path, kind: str, start: date, end: date) -> list[dict[str, Any]]:
    with duckdb.connect(str(database), read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        table = {**TABLES, **MORE_TABLES}[kind]
        cursor = conn.execute(
            f"SELECT * FROM {table} WHERE metric_date BETWEEN ? AND ?", [start, end]
        )
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _key(row: dict[str, Any]) -> tuple[str, ...]:
    """A row as the report prints it: ACUs rounded to 2 decimals (select_*_metrics.sql)."""
    return tuple(str(round(v, 2)) if isinstance(v, float) else str(v) for v in row.values())


def test_report_json_matches_the_tables(warehouse):
    result = _cli("report", "--database", str(warehouse), "--start", str(START), "--end", str(LAST),
                  "--format", "json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == set(TABLES)
    for kind in TABLES:
        expected = _table_rows(warehouse, kind, START, LAST)
        assert expected, f"the pipeline wrote no {kind} metrics for the range"
        assert sorted(map(_key, payload[kind])) == sorted(map(_key, expected))


def test_report_csv_matches_the_tables(warehouse):
    start, end = START + timedelta(days=2), START + timedelta(days=4)  # a narrower range
    result = _cli("report", "--database", str(warehouse), "--start", str(start), "--end", str(end),
                  "--format", "csv")  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["report", "metric_date", "group", "group_name", "user_kind"]
    for kind in TABLES:
        expected = sorted(map(_csv_key, _table_rows(warehouse, kind, start, end)))
        got = sorted(tuple(r[1:]) for r in body if r[0] == kind)
        assert got == expected
        assert all(start <= date.fromisoformat(r[0]) <= end for r in got)
    assert any(r[3] for r in body if r[0] == "org"), "org names are in the CSV"


def _csv_key(row: dict[str, Any]) -> tuple[str, ...]:
    """A table row as the CSV has it: date, group, name, kind ('' for none), the metrics."""
    values = list(row.values())
    name = row.get("org_name") or row.get("user_name") or ""
    labels = [str(values[0]), str(values[1]), name, row.get("user_kind") or ""]
    metrics = [v for k, v in row.items() if k not in ("org_name", "user_name", "user_kind")][2:]
    return tuple(labels + [str(round(v, 2)) if isinstance(v, float) else str(v) for v in metrics])


def test_report_by_user_and_origin_matches_the_tables(warehouse):
    result = _cli("report", "--database", str(warehouse), "--start", str(START), "--end", str(LAST),
                  "--by", "user", "origin", "--format", "json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == set(MORE_TABLES)
    for kind in MORE_TABLES:
        expected = _table_rows(warehouse, kind, START, LAST)
        assert expected and sorted(map(_key, payload[kind])) == sorted(map(_key, expected))
    kinds = {row["user_kind"] for row in payload["user"]}
    assert {"user", "service_user"} <= kinds


def test_report_billing_prints_billed_and_session_acus_per_org(warehouse):
    args = ("--database", str(warehouse), "--start", str(START), "--end", str(LAST), "--billing")
    result = _cli("report", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        expected = dict(
            conn.execute(
                "SELECT org_id, round(sum(billed_acus), 2) FROM devin.acu_reconciliation "
                "WHERE billing_date BETWEEN ? AND ? GROUP BY org_id",
                [START, LAST],
            ).fetchall()
        )
    assert {r["org_id"]: r["billed_acus"] for r in rows} == expected and len(expected) > 3
    assert all(r["difference"] == pytest.approx(r["session_acus"] - r["billed_acus"], abs=0.02)
               for r in rows)  # fmt: skip
    table = _cli("report", *args)
    assert table.returncode == 0 and "Billed vs session-derived ACUs per org" in table.stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_report_budget_shows_the_current_cycle_per_org(warehouse, fmt):
    result = _cli("report", "--database", str(warehouse), "--budget", "--format", fmt)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        expected = conn.execute(
            "SELECT scope_id, round(forecast_acus, 2) FROM devin.org_budget_status "
            "WHERE is_current ORDER BY scope_id"
        ).fetchall()
    assert len(expected) > 3
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert sorted((r["org_id"], r["forecast_acus"]) for r in rows) == expected
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        got = sorted((r["org_id"], float(r["forecast_acus"])) for r in rows)
        assert got == expected
    else:
        assert "Budget of the current billing cycle" in result.stdout
        assert all(str(forecast) in result.stdout for _, forecast in expected)


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_report_by_outcome_shows_cost_per_merged_pr(warehouse, fmt):
    args = ("--database", str(warehouse), "--start", str(START), "--end", str(LAST))
    result = _cli("report", *args, "--by", "outcome", "--dimension", "org", "--format", fmt)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        expected = conn.execute(
            "SELECT dimension_value, prs_merged FROM devin.outcome_metrics "
            "WHERE dimension = 'org' ORDER BY ALL"
        ).fetchall()
    assert len(expected) > 3
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert sorted((r["dimension_value"], r["prs_merged"]) for r in rows) == expected
        assert all(r["cost_per_merged_pr"] is None for r in rows)  # no price set
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert sorted((r["dimension_value"], int(r["prs_merged"])) for r in rows) == expected
    else:
        assert "Outcomes per created month by org" in result.stdout
    mixed = _cli("report", *args, "--by", "outcome", "org")
    assert mixed.returncode == 2 and "of its own" in mixed.stderr


def test_report_by_active_users_and_seats_in_each_format(warehouse):
    args = ("--database", str(warehouse), "--start", str(START), "--end", str(LAST))
    result = _cli("report", *args, "--by", "active-users", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        weeks = conn.execute(
            "SELECT CAST(period_start AS VARCHAR), active_users FROM devin.active_user_metrics "
            "WHERE scope = 'enterprise' AND period = 'week'"
        ).fetchall()
        idle = conn.execute(
            "SELECT user_id FROM devin.seat_usage WHERE is_listed AND status <> 'active'"
        ).fetchall()
    assert {(r["period_start"], r["active_users"]) for r in rows if r["period"] == "week"} == set(
        weeks
    ) and weeks
    assert {r["period"] for r in rows} == {"day", "week", "month"}
    seats = _cli("report", *args, "--by", "seats", "--format", "csv")
    assert seats.returncode == 0, seats.stderr
    assert seats.stdout.startswith("user_id,user_name,status,last_active_date")
    shown = list(csv.DictReader(io.StringIO(seats.stdout)))
    statuses = [r["status"] for r in shown]
    assert idle and statuses[: len(idle)] != [] and "active" not in statuses[: len(idle)]
    assert {r["user_id"] for r in shown[: len(idle)]} == {u for (u,) in idle}, "unused first"
    table = _cli("report", *args, "--by", "seats")
    assert table.returncode == 0 and "Seats (all)" in table.stdout
    mixed = _cli("report", *args, "--by", "org", "seats")
    assert mixed.returncode == 2 and "goes alone" in mixed.stderr


def test_report_table_shows_every_row(warehouse):
    result = _cli("report", "--database", str(warehouse), "--start", str(START), "--end", str(LAST))
    assert result.returncode == 0, result.stderr
    shown = {
        tuple(cell.strip() for cell in line.split("│")[1:-1])
        for line in result.stdout.splitlines()
        if line.startswith("│")
    }
    assert "Per-org daily metrics" in result.stdout
    assert "Per-category daily metrics" in result.stdout
    for kind in TABLES:
        for row in _table_rows(warehouse, kind, START, LAST):
            if "org_name" in row:  # an org no listing held is said so, not printed as None
                row["org_name"] = row["org_name"] or "(not listed)"
            assert _key(row) in shown, row
    assert "None" not in result.stdout


# --- progress of a long backfill -------------------------------------------------------------


def test_backfill_prints_progress_per_day(live_sandbox, duckdb_path, instance, monkeypatch):
    monkeypatch.setenv("DEVIN_API_KEY", SANDBOX_API_KEY)
    monkeypatch.setenv("DEVIN_API_BASE_URL", live_sandbox.base_url)
    out = io.StringIO()
    defs = build_defs(
        Settings(
            base_url=live_sandbox.base_url, duckdb_path=str(duckdb_path), partitions_start=START
        )
    )
    job = defs.resolve_implicit_global_asset_job_def().get_subset(
        asset_selection={dg.AssetKey(["devin", "session_snapshots"])}
    )
    job = job.with_logger_defs({PROGRESS_LOGGER: progress_logger(Console(file=out))})
    result = job.execute_in_process(
        run_config=progress_run_config(),
        instance=instance,
        tags={RANGE_START_TAG: START.isoformat(), RANGE_END_TAG: LAST.isoformat()},
    )
    assert result.success
    lines = [line for line in out.getvalue().splitlines() if "days done" in line]
    assert len(lines) == DAYS
    assert f"{DAYS}/{DAYS} days done" in lines[-1]
    assert all("versions/s" in line for line in lines)
    assert "STEP_START" not in out.getvalue()  # Dagster's engine events stay in the run log


@pytest.mark.slow
def test_demo_end_to_end(tmp_path):
    """The demo on a small sandbox: progress lines, both tables, exit 0 (uses dagster.yaml)."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env = {"DAGSTER_HOME": str(home), "DEVIN_DUCKDB_PATH": str(tmp_path / "demo.duckdb")}
    result = _cli("demo", "--sessions", "300", "--days", "3", env=env, timeout=240)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "3/3 days done" in result.stdout
    assert "Per-org daily metrics" in result.stdout
    assert "Per-category daily metrics" in result.stdout
    assert "Budget of the current billing cycle" in result.stdout
    assert "Outcomes per created month by org" in result.stdout
    # The demo ends with the usage dashboard, written beside the DuckDB file; its tables say
    # what a NULL name is instead of printing None.
    assert "Usage dashboard:" in result.stdout
    assert (tmp_path / "devin_usage_dashboard.html").exists()
    assert "None" not in result.stdout
