"""A small hand-made warehouse whose figures are known, with every table the dashboard reads.

The tables of the adoption and money issues are created here with the contract's columns, so
the dashboard's later panels are tested before the assets that fill them exist. The chosen
range is WEEK (2025-03-01 .. 2025-03-07); the previous range is the 7 days before it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from devin_pipeline.dashboard.panels import Window
from devin_pipeline.warehouse.connection import prepare
from devin_pipeline.warehouse.metrics_store import METRICS_TABLES

WEEK = Window(date(2025, 3, 1), date(2025, 3, 7))

# What the page must say for WEEK, worked out by hand from the rows below.
KPIS = {
    "sessions": (4, 2),
    "acus": (15.0, 6.0),
    "prs_merged": (3, 0),
    "acus_per_merged_pr": (5.0, None),
    "wau": (2, 0),
    "mau": (3, 1),
}
ACUS_BY_ORG = [
    {"day": "2025-03-01", "org": "Alpha", "acus": 10.5},
    {"day": "2025-03-02", "org": "org-b (not listed)", "acus": 4.5},
]
SEATS = {"active": 1, "idle": 1, "never_used": 1}

TABLES = """
CREATE TABLE IF NOT EXISTS devin.active_user_metrics (
    period VARCHAR, period_start DATE, period_end DATE,
    scope VARCHAR, scope_id VARCHAR, org_name VARCHAR, active_users BIGINT,
    creating_users BIGINT, is_complete BOOLEAN);
CREATE TABLE IF NOT EXISTS devin.seat_usage (user_id VARCHAR, user_name VARCHAR, is_listed BOOLEAN,
    as_of_date DATE, first_active_date DATE, last_active_date DATE, sessions_7d BIGINT,
    sessions_30d BIGINT, sessions_90d BIGINT, acus_30d DOUBLE, status VARCHAR);
CREATE TABLE IF NOT EXISTS devin.outcome_metrics (
    month DATE, dimension VARCHAR, dimension_value VARCHAR,
    org_name VARCHAR, sessions_created BIGINT, sessions_with_merged_pr BIGINT,
    merge_rate DOUBLE, prs_merged BIGINT, acus DOUBLE, acus_per_merged_pr DOUBLE, cost DOUBLE,
    cost_per_merged_pr DOUBLE, is_settled BOOLEAN);
CREATE TABLE IF NOT EXISTS devin.billing_cycles (cycle_start TIMESTAMPTZ, cycle_end TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS devin.org_budget_status (
    cycle_start TIMESTAMPTZ, scope VARCHAR, scope_id VARCHAR,
    org_name VARCHAR, acu_limit DOUBLE, billed_acus DOUBLE, billed_days BIGINT,
    cycle_days BIGINT, forecast_acus DOUBLE, limit_share DOUBLE, forecast_share DOUBLE,
    cost DOUBLE, forecast_cost DOUBLE, currency VARCHAR, is_current BOOLEAN);
CREATE TABLE IF NOT EXISTS devin.reported_metrics (
    period VARCHAR, period_start DATE, metric VARCHAR,
    dimension VARCHAR, value DOUBLE, fetched_at TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS devin.metrics_crosscheck (
    period VARCHAR, period_start DATE, metric VARCHAR,
    dimension VARCHAR, reported DOUBLE, derived DOUBLE, difference DOUBLE,
    known_difference VARCHAR);
CREATE TABLE IF NOT EXISTS devin.session_insights (session_id VARCHAR, session_size VARCHAR,
    num_user_messages BIGINT, num_devin_messages BIGINT, has_analysis BOOLEAN,
    analysis_category VARCHAR, analysis_confidence VARCHAR, programming_languages VARCHAR[],
    tools_and_frameworks VARCHAR[], issues BIGINT, action_items_by_type MAP(VARCHAR, BIGINT),
    analysis JSON, fetched_at TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS devin.acu_reconciliation (
    billing_date DATE, org_id VARCHAR, org_name VARCHAR,
    billed_acus DOUBLE, session_acus DOUBLE, difference DOUBLE);
"""

ROWS = """
INSERT INTO devin.session_snapshots
    (session_id, user_id, updated_at, snapshot_date, fetched_at, raw)
VALUES ('s1', 'u1', '2025-03-07 10:00+00', '2025-03-07', '2025-03-08 01:00+00', '{}'),
       ('s2', 'u2', '2025-03-07 11:00+00', '2025-03-07', '2025-03-08 01:00+00', '{}'),
       ('s3', 'u3', '2025-02-20 11:00+00', '2025-02-20', '2025-02-21 01:00+00', '{}'),
       ('s4', NULL, '2025-03-05 11:00+00', '2025-03-05', '2025-03-06 01:00+00', '{}');
INSERT INTO devin.org_daily_metrics VALUES
    ('2025-03-01', 'org-a', 'Alpha', 3, 3, 2, 10.5, 2, 2),
    ('2025-03-02', 'org-b', NULL, 1, 1, 1, 4.5, 1, 1),
    ('2025-02-25', 'org-a', 'Alpha', 2, 2, 1, 6.0, 0, 0);
INSERT INTO devin.category_daily_metrics VALUES
    ('2025-03-01', 'bug_fixing', 3, 3, 2, 10.5, 2, 2),
    ('2025-03-02', 'uncategorized', 1, 1, 1, 4.5, 1, 1);
INSERT INTO devin.origin_daily_metrics VALUES ('2025-03-01', 'webapp', 4, 4, 3, 15.0, 3, 3);
INSERT INTO devin.user_daily_metrics VALUES
    ('2025-03-01', 'u1', 'user', 'Ada Lovelace', 2, 2, 1, 8.0, 1, 1),
    ('2025-03-02', 'svc-1', 'service_user', NULL, 2, 2, 0, 7.0, 2, 2);
INSERT INTO devin.acu_consumption VALUES
    ('2025-03-01', 'enterprise', '', 'all', 12.0, '2025-03-03 01:00+00'),
    ('2025-03-02', 'enterprise', '', 'all', 5.0, '2025-03-03 01:00+00'),
    ('2025-03-01', 'org', 'org-a', 'devin', 12.0, '2025-03-03 01:00+00');
INSERT INTO devin.acu_reconciliation VALUES ('2025-03-01', 'org-a', 'Alpha', 12.0, 10.5, -1.5);
INSERT INTO devin.active_user_metrics VALUES
    ('day', '2025-03-01', '2025-03-02', 'enterprise', '', NULL, 2, 2, true),
    ('week', '2025-02-24', '2025-03-03', 'enterprise', '', NULL, 2, 1, true),
    ('month', '2025-03-01', '2025-04-01', 'enterprise', '', NULL, 3, 2, false),
    ('day', '2025-03-01', '2025-03-02', 'org', 'org-a', 'Alpha', 2, 2, true);
INSERT INTO devin.seat_usage VALUES
    ('u1', 'Ada Lovelace', true, '2025-03-07', '2025-01-02', '2025-03-07', 1, 2, 3, 8.0, 'active'),
    ('u2', 'Grace Hopper', true, '2025-03-07', '2025-01-02', '2025-01-10', 0, 0, 1, 0.0, 'idle'),
    ('u3', 'Alan Turing', true, '2025-03-07', NULL, NULL, 0, 0, 0, 0.0, 'never_used'),
    ('u4', 'Gone Person', false, '2025-03-07', NULL, NULL, 0, 0, 0, 0.0, 'never_used');
INSERT INTO devin.outcome_metrics VALUES
    ('2025-03-01', 'org', 'org-a', 'Alpha', 3, 2, 0.6667, 2, 10.5, 5.25, NULL, NULL, false),
    ('2025-03-01', 'session_size', 'm', NULL, 4, 3, 0.75, 3, 15.0, 5.0, NULL, NULL, false),
    ('2025-03-01', 'category', 'bug_fixing', NULL, 3, 2, 0.6667, 2, 10.5, 5.25, NULL, NULL, false);
INSERT INTO devin.billing_cycles VALUES ('2025-03-01 08:00+00', '2025-04-01 08:00+00');
INSERT INTO devin.org_budget_status VALUES
    ('2025-03-01 08:00+00', 'enterprise', '', NULL, NULL, 17.0, 2, 31, 263.5, NULL, NULL,
     34.0, 527.0, 'USD', true),
    ('2025-03-01 08:00+00', 'org', 'org-a', 'Alpha', 50.0, 12.0, 2, 31, 186.0, 0.24, 3.72,
     24.0, 372.0, 'USD', true);
INSERT INTO devin.reported_metrics VALUES
    ('day', '2025-03-01', 'dau', '', 3, '2025-03-02 01:00+00');
INSERT INTO devin.metrics_crosscheck VALUES
    ('day', '2025-03-01', 'dau', '', 3, 2, -1, 'Devin counts searches as activity');
"""


def write_known_warehouse(path: Path) -> Path:
    """Creates the file with the tables above and returns its path."""
    with duckdb.connect(str(path)) as conn:
        prepare(conn)
        for table in METRICS_TABLES:
            conn.execute(table.sql("create_daily_metrics_table"))
        for statement in (TABLES + ROWS).split(";"):
            if statement.strip():
                conn.execute(statement)
    return path
