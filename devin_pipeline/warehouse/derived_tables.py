"""Every derived table brought up to date in one process, in the order the assets run and each
on its own connection as each asset opens one: for a notebook, the benchmarks, and the test
that incremental and whole refreshes agree."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from devin_pipeline.settings import Settings
from devin_pipeline.warehouse.adoption_store import (
    rebuild_seat_usage,
    refresh_active_user_metrics,
)
from devin_pipeline.warehouse.budget_store import budget_cycles, rebuild_budget
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.consumption_store import refresh_reconciliation
from devin_pipeline.warehouse.insight_store import refresh_outcomes
from devin_pipeline.warehouse.metrics_store import refresh_daily_metrics
from devin_pipeline.warehouse.reported_metrics_store import rebuild_crosscheck
from devin_pipeline.warehouse.session_store import refresh_sessions
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA

# What refresh_derived_tables writes: the per-session state, then the tables derived from it.
DERIVED_TABLES = (
    "sessions",
    "session_spans",
    "version_acus",
    "session_pull_requests",
    "org_daily_metrics",
    "category_daily_metrics",
    "user_daily_metrics",
    "origin_daily_metrics",
    "active_user_metrics",
    "seat_usage",
    "metrics_crosscheck",
    "acu_reconciliation",
    "org_budget_status",
    "outcome_metrics",
)


@dataclass(frozen=True)
class StepCost:
    """What bringing one asset's tables up to date took: wall and CPU seconds (all threads),
    and of the wall, opening and preparing its connection (what any asset step pays)."""

    asset: str
    seconds: float
    cpu_seconds: float
    connect_seconds: float


def refresh_derived_tables(
    database: str | Path,
    settings: Settings,
    complete_through: date | None,
    schema: str = DEFAULT_SCHEMA,
) -> list[StepCost]:
    """Refreshes every table derived from the sources (not the directory tables, which are
    inputs here), incrementally unless `settings.incremental_refresh` is off."""
    incremental = settings.incremental_refresh

    def budget(conn: duckdb.DuckDBPyConnection) -> None:
        cycles = budget_cycles(conn, settings.cycles_enabled, schema).cycles
        rebuild_budget(conn, cycles, settings.acu_price, settings.currency, schema)

    steps: list[tuple[str, Callable[[duckdb.DuckDBPyConnection], object]]] = [
        ("sessions", lambda conn: refresh_sessions(conn, schema, incremental)),
        ("daily_metrics", lambda conn: refresh_daily_metrics(conn, schema, incremental)),
        (
            "active_user_metrics",
            lambda conn: refresh_active_user_metrics(conn, complete_through, schema, incremental),
        ),
        ("seat_usage", lambda conn: rebuild_seat_usage(conn, settings.seat_idle_days, schema)),
        ("metrics_crosscheck", lambda conn: rebuild_crosscheck(conn, schema)),
        ("acu_reconciliation", lambda conn: refresh_reconciliation(conn, schema, incremental)),
        ("org_budget_status", budget),
        (
            "outcome_metrics",
            lambda conn: refresh_outcomes(
                conn, settings.acu_price, settings.lookback_days, schema, incremental
            ),
        ),
    ]
    costs = []
    for asset, step in steps:
        wall, cpu = time.perf_counter(), time.process_time()
        with closing(prepare(duckdb.connect(str(database)), schema)) as conn:
            connected = time.perf_counter()
            step(conn)
        end = time.perf_counter()
        costs.append(StepCost(asset, end - wall, time.process_time() - cpu, connected - wall))
    return costs
