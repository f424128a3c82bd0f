"""The DuckDB file: owner-only after a real run, narrowed when widened, its lock holder named,
its schema version compared with the code's; the doctor opens it read-only."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb

from devin_pipeline.doctor.warehouse_checks import warehouse_checks
from devin_pipeline.ingest.stage_file import StageFile
from devin_pipeline.warehouse.schema_version import SCHEMA_VERSION
from tests.conftest import SnapshotRunner
from tests.warehouse.test_resource import file_held

DAY = "2024-06-03"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _checks(path: Path) -> dict[str, object]:
    return {c.name: c for c in warehouse_checks(str(path), "devin")}


def test_a_real_run_creates_the_file_and_its_directory_owner_only(snapshot_runner, tmp_path):
    snapshot_runner.duckdb_path = tmp_path / "new" / "warehouse.duckdb"
    assert snapshot_runner.run(DAY).success
    assert _mode(snapshot_runner.duckdb_path) == 0o600
    assert _mode(snapshot_runner.duckdb_path.parent) == 0o700
    checks = _checks(snapshot_runner.duckdb_path)
    assert checks["duckdb.file_mode"].verdict == "ok"
    assert checks["duckdb.directory_mode"].verdict == "ok"
    assert checks["duckdb.lock"].verdict == "ok"
    assert checks["duckdb.schema_version"].value == SCHEMA_VERSION


def test_a_widened_file_is_reported_then_narrowed_by_the_next_run(snapshot_runner: SnapshotRunner):
    assert snapshot_runner.run(DAY).success
    snapshot_runner.duckdb_path.chmod(0o644)
    check = _checks(snapshot_runner.duckdb_path)["duckdb.file_mode"]
    assert check.verdict == "warn" and check.value == "0644" and "chmod 600" in check.remedy
    result = snapshot_runner.run("2024-06-04")
    assert result.success
    assert _mode(snapshot_runner.duckdb_path) == 0o600
    logs = [e.user_message for e in snapshot_runner.instance.all_logs(result.run_id)]
    assert any("(mode 0644): narrowed to 0600" in m for m in logs)


def test_a_locked_file_names_its_holder(snapshot_runner: SnapshotRunner):
    assert snapshot_runner.run(DAY).success
    with file_held(snapshot_runner.duckdb_path, 30) as holder:
        check = _checks(snapshot_runner.duckdb_path)["duckdb.lock"]
    assert check.verdict == "fail" and f"(PID {holder.pid})" in check.detail
    assert "DEVIN_DUCKDB_LOCK_WAIT" in check.remedy


def test_the_doctor_does_not_hold_the_file(snapshot_runner: SnapshotRunner):
    assert snapshot_runner.run(DAY).success
    _checks(snapshot_runner.duckdb_path)
    duckdb.connect(str(snapshot_runner.duckdb_path)).close()  # a writer opens it at once


def test_a_schema_version_other_than_the_codes_fails(snapshot_runner: SnapshotRunner):
    assert snapshot_runner.run(DAY).success
    with duckdb.connect(str(snapshot_runner.duckdb_path)) as conn:
        conn.execute("UPDATE devin.schema_version SET version = 99")
    check = _checks(snapshot_runner.duckdb_path)["duckdb.schema_version"]
    assert check.verdict == "fail" and check.value == 99 and str(SCHEMA_VERSION) in check.detail


def test_an_absent_file_is_fine_and_stays_absent(tmp_path: Path):
    path = tmp_path / "later" / "w.duckdb"
    checks = _checks(path)
    assert checks["duckdb.file"].verdict == "ok" and "0600" in checks["duckdb.file"].detail
    assert not path.parent.exists()


def test_stage_files_are_owner_only_even_over_a_wider_file(tmp_path: Path):
    path = tmp_path / "2024-06-03.tsv"
    path.write_bytes(b"old")
    path.chmod(0o644)
    stage = StageFile(path)
    stage.close()
    assert _mode(path) == 0o600 and path.read_bytes() == b""
