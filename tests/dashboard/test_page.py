"""The usage dashboard's numbers: what the page embeds is what SQL on the same file says, on
the pipeline's warehouse and on a hand-made one whose figures are known; empty and switched-off
sources say so; personal data stays out when it is off."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from devin_pipeline.dashboard.build import build_dashboard
from devin_pipeline.dashboard.kpis import previous_window
from devin_pipeline.dashboard.panels import Window
from devin_pipeline.settings import Settings
from tests.dashboard.known_warehouse import ACUS_BY_ORG, KPIS, SEATS, WEEK, write_known_warehouse
from tests.dashboard.page_data import page_data
from tests.dashboard.warehouses import LAST

CLI = Path(sys.executable).parent / "devin-pipeline"
MAX_BYTES = 2_000_000


def _build(database: Path, out: Path, settings: Settings | None = None, window=None):
    with duckdb.connect(str(database), read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        return build_dashboard(conn, "devin", out, settings or Settings(), window)


def _sql(database: Path, sql: str, params: dict) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def known(tmp_path) -> Path:
    return write_known_warehouse(tmp_path / "known.duckdb")


# --- the pipeline's warehouse -------------------------------------------------------------


def test_asset_writes_the_page_with_kpis_as_numeric_metadata(pipeline_dashboard):
    meta = pipeline_dashboard.metadata
    assert Path(meta["path"]) == pipeline_dashboard.page and pipeline_dashboard.page.exists()
    assert meta["size_bytes"] == pipeline_dashboard.page.stat().st_size < MAX_BYTES
    data = page_data(pipeline_dashboard.page)
    for name, kpi in data["kpis"].items():
        if kpi["value"] is not None:
            assert meta[f"kpi_{name}"] == pytest.approx(kpi["value"])
            assert isinstance(meta[f"kpi_{name}"], float)
    assert "Usage dashboard for UTC days" in meta["summary"]
    svgs = sorted(pipeline_dashboard.page.parent.glob("devin_usage_dashboard-*.svg"))
    assert len(svgs) == meta["charts"] >= 5
    assert all(svg.read_text().startswith("<svg") for svg in svgs)
    # The page names people, like the warehouse: only its owner may read it.
    assert {stat.S_IMODE(f.stat().st_mode) for f in [pipeline_dashboard.page, *svgs]} == {0o600}


def test_every_kpi_and_sampled_chart_points_match_sql(pipeline_dashboard):
    db, data = pipeline_dashboard.database, page_data(pipeline_dashboard.page)
    window = Window(LAST - timedelta(days=29), LAST)  # the asset's default: 30 days to the data
    assert data["panels"]["acus_by_org"]["window"].endswith(f"{window.start} .. {window.end}")
    for w, side in ((window, "value"), (previous_window(window), "previous")):
        params = {"start": w.start, "end": w.end}
        ((sessions, acus, merged),) = _sql(
            db,
            "SELECT sum(sessions_created), sum(acus_consumed), sum(prs_merged) "
            "FROM devin.org_daily_metrics WHERE metric_date BETWEEN $start AND $end",
            params,
        )
        ((wau, mau),) = _sql(
            db,
            "SELECT count(DISTINCT user_id) FILTER (snapshot_date > $end - 7),"
            " count(DISTINCT user_id) FROM devin.session_snapshots "
            "WHERE snapshot_date BETWEEN $end - 29 AND $end",
            {"end": w.end},
        )
        kpis = {k: v[side] for k, v in data["kpis"].items()}
        assert kpis["sessions"] == (sessions or 0) and kpis["prs_merged"] == (merged or 0)
        assert kpis["acus"] == pytest.approx(acus or 0, abs=1e-3)
        assert (kpis["wau"], kpis["mau"]) == (wau, mau)
        expected = (acus / merged) if merged else None
        assert kpis["acus_per_merged_pr"] == pytest.approx(expected, abs=1e-3)
    assert data["kpis"]["sessions"]["value"] > 0, "the demo range holds sessions"
    # Chart points: every third day-org bar against the table (orgs by name or "not listed").
    rows = data["panels"]["acus_by_org"]["rows"]
    assert rows and not any(r["org"] is None or "None" in r["org"] for r in rows)
    for row in [r for r in rows if r["org"] != "other orgs"][::3]:
        ((acus,),) = _sql(
            db,
            "SELECT sum(acus_consumed) FROM devin.org_daily_metrics "
            "WHERE metric_date = $day AND coalesce(org_name, org_id || ' (not listed)') = $org",
            {"day": row["day"], "org": row["org"]},
        )
        assert row["acus"] == pytest.approx(acus, abs=1e-3)
    # Each day's stack, "other orgs" included, is the day's total.
    for day, acus in _sql(
        db,
        "SELECT metric_date::VARCHAR, sum(acus_consumed) FROM "
        "devin.org_daily_metrics GROUP BY 1 HAVING sum(acus_consumed) <> 0",
        {},
    ):
        stacked = sum(r["acus"] for r in rows if r["day"] == day)
        assert stacked == pytest.approx(acus, abs=1e-2), day
    assert len({r["org"] for r in rows}) <= 11
    billed = {r["day"]: r["billed_acus"] for r in data["panels"]["billed_by_day"]["rows"]}
    for day, acus in _sql(
        db,
        "SELECT billing_date::VARCHAR, sum(acus) FROM devin.acu_consumption "
        "WHERE scope = 'enterprise' AND product = 'all' GROUP BY 1",
        {},
    ):
        if window.start <= date.fromisoformat(day) <= window.end:
            assert billed[day] == pytest.approx(acus, abs=1e-3)


def test_adoption_money_and_outcome_panels_show_their_tables(pipeline_dashboard):
    panels = page_data(pipeline_dashboard.page)["panels"]
    for name, table in (
        ("active_users", "active_user_metrics"),
        ("seats", "seat_usage"),
        ("outcomes", "outcome_metrics"),
        ("budget", "org_budget_status"),
    ):
        assert panels[name]["rows"], name
        assert "not built yet" not in (panels[name]["note"] or "")
        assert panels[name]["source"] == f"devin.{table}"
    weekly = dict(
        _sql(
            pipeline_dashboard.database,
            "SELECT period_start::VARCHAR, active_users FROM devin.active_user_metrics "
            "WHERE scope = 'enterprise' AND period = 'week'",
            {},
        )
    )
    shown = [r for r in panels["active_users"]["rows"] if r["period"] == "week"]
    assert shown and all(r["active_users"] == weekly[r["period_start"]] for r in shown)
    # The sandbox has deleted orgs still spending, and billing the sessions do not all show.
    failed = {row["check"]: row["severity"] for row in panels["failed_checks"]["rows"]}
    assert failed == {
        "devin/acu_reconciliation:acu_reconciliation_within_tolerance": "WARN",
        "devin/organizations:unlisted_orgs_still_spending": "WARN",
        # The sandbox plans orgs over their cycle caps, and Devin's metrics count searches.
        "devin/org_budget_status:org_budget_within_limits": "WARN",
        "devin/metrics_crosscheck:metrics_crosscheck_within_tolerance": "WARN",
    }
    assert panels["billing"]["verdict"].startswith("Reconciliation check: WARN")


def test_cli_builds_the_same_page_read_only(pipeline_dashboard, tmp_path):
    out = tmp_path / "page.html"
    before = pipeline_dashboard.database.stat().st_mtime_ns
    result = subprocess.run(
        [
            str(CLI),
            "dashboard",
            "--database",
            str(pipeline_dashboard.database),
            "--out",
            str(out),
            "--end",
            str(LAST),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    assert pipeline_dashboard.database.stat().st_mtime_ns == before
    ours, assets = page_data(out), page_data(pipeline_dashboard.page)
    assert ours["kpis"] == assets["kpis"]
    assert ours["panels"]["acus_by_org"]["rows"] == assets["panels"]["acus_by_org"]["rows"]
    missing = subprocess.run(
        [str(CLI), "dashboard", "--database", str(tmp_path / "no.duckdb")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 1 and "no DuckDB file" in missing.stderr


# --- a hand-made warehouse with known figures -------------------------------------------


def test_known_figures_on_every_panel(known, tmp_path):
    dashboard = _build(known, tmp_path / "page.html", window=WEEK)
    data = page_data(dashboard.path)
    for name, (value, previous) in KPIS.items():
        assert (data["kpis"][name]["value"], data["kpis"][name]["previous"]) == (value, previous)
    assert data["kpis"]["cost"]["value"] == pytest.approx(30.0)  # price 2.0 from the budget
    panels = data["panels"]
    assert panels["acus_by_org"]["rows"] == ACUS_BY_ORG
    assert {r["status"]: r["people"] for r in panels["seats"]["rows"]} == SEATS
    assert [r["person"] for r in panels["idle_seats"]["rows"]] == ["Alan Turing", "Grace Hopper"]
    assert [(r["period"], r["active_users"]) for r in panels["active_users"]["rows"]] == [
        ("day", 2),
        ("month", 3),
        ("week", 2),
    ]
    outcomes = {(r["dimension"], r["group"]): r for r in panels["outcomes"]["rows"]}
    assert set(outcomes) == {("org", "Alpha"), ("session_size", "m")}
    assert outcomes["session_size", "m"]["merge_rate"] == 0.75
    assert outcomes["org", "Alpha"]["acus_per_merged_pr"] == 5.25
    budget = {r["org"]: r for r in panels["budget"]["rows"]}
    assert budget["Alpha"]["forecast_share"] == 3.72 and budget["enterprise"]["billed_acus"] == 17
    assert panels["billing"]["rows"][0]["org"] == "Alpha"
    assert panels["crosscheck"]["rows"][0]["difference"] == -1
    assert [r["person"] for r in panels["top_users"]["rows"]] == ["Ada Lovelace", "svc-1"]
    assert all(p["note"] == "" for n, p in panels.items() if n != "failed_checks"), panels
    assert all(p["window"] and p["source"] for p in panels.values())
    assert set(dashboard.charts[0].parent.glob("page-*.svg")) == set(dashboard.charts)


def test_personal_data_off_shows_ids_and_per_person_panels_can_be_left_out(known, tmp_path):
    no_names = _build(known, tmp_path / "ids.html", Settings(store_personal_data=False), WEEK)
    html = no_names.path.read_text()
    for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing"):
        assert name not in html
    people = page_data(no_names.path)["panels"]["top_users"]["rows"]
    assert [r["person"] for r in people] == ["u1", "svc-1"]
    left_out = _build(known, tmp_path / "none.html", Settings(dashboard_per_person=False), WEEK)
    panels = page_data(left_out.path)["panels"]
    assert "top_users" not in panels and "idle_seats" not in panels and "seats" in panels
    assert "Ada Lovelace" not in left_out.path.read_text()


def test_a_switched_off_source_is_said_on_its_panels(known, tmp_path):
    settings = Settings(consumption_enabled=False)
    panels = page_data(_build(known, tmp_path / "off.html", settings, WEEK).path)["panels"]
    for name in ("billed_by_day", "billing", "budget"):
        assert panels[name]["rows"] == []
        assert "Source switched off: consumption_enabled is false" in panels[name]["note"]
        assert "DEVIN_READ_CONSUMPTION=false" in panels[name]["note"]
    assert panels["acus_by_org"]["rows"] == ACUS_BY_ORG


def test_an_empty_warehouse_gives_a_page_that_says_so(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    dashboard = _build(empty, tmp_path / "empty.html", window=WEEK)
    panels = page_data(dashboard.path)["panels"]
    assert dashboard.kpis == [] and "not built yet" in panels["kpis"]["note"]
    assert all(p["rows"] == [] for n, p in panels.items() if n not in ("freshness",))
    assert "devin.org_daily_metrics is not built yet" in panels["acus_by_org"]["note"]
    assert dashboard.charts == []
    assert "not built yet" in dashboard.path.read_text()


def test_an_empty_range_says_there_are_no_rows(known, tmp_path):
    window = Window(date(2024, 1, 1), date(2024, 1, 7))
    panels = page_data(_build(known, tmp_path / "quiet.html", window=window).path)["panels"]
    assert panels["acus_by_org"]["note"].startswith("No rows in devin.org_daily_metrics for")
    assert "ViewAccountConsumption" in panels["billed_by_day"]["note"]
