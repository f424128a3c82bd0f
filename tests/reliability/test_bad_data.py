"""An item that breaks the API schema fails the materialization, naming the item and the field.

The client-level message is tested in tests/resources/test_devin_api.py; that a failed run
leaves the table unchanged, in tests/assets/test_session_snapshots.py. Here: the message a
user sees on the failed Dagster run, and every table unchanged, for both kinds of breakage.
"""

from __future__ import annotations

from datetime import date

import pytest

from devin_pipeline.partitions import day_bounds
from devin_pipeline.sandbox import FaultPlan
from tests.reliability.conftest import fresh, step_error, table_state


@pytest.mark.parametrize(
    ("kind", "field"), [("missing_session_id", "session_id"), ("string_updated_at", "updated_at")]
)
def test_a_schema_error_names_item_and_field_and_changes_no_table(runner, live, kind, field):
    assert runner.run("2024-06-03").success
    before = table_state(runner.duckdb_path)
    start, end = day_bounds(date(2024, 6, 4))
    victim = live.sandbox.data.visible(live.sandbox.clock, start, end)[-1]["session_id"]
    fresh(live, FaultPlan(malformed={"session_id": victim, "kind": kind}))
    result = runner.run("2024-06-04", page_size=20)
    assert not result.success
    error = step_error(result)
    assert error.cls_name == "SchemaError" and f"field '{field}'" in error.message
    who = "no session_id" if kind == "missing_session_id" else f"session_id='{victim}'"
    assert who in error.message
    assert table_state(runner.duckdb_path) == before
