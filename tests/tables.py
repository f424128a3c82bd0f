"""The tables (= asset names under the key prefix) an instance of the pipeline writes."""

from __future__ import annotations

INGESTION = ["session_snapshots"]
DIRECTORY = ["organization_versions", "organizations", "users"]
METRICS = [
    "sessions",
    "org_daily_metrics",
    "category_daily_metrics",
    "user_daily_metrics",
    "origin_daily_metrics",
]
BILLING = ["acu_consumption", "acu_reconciliation"]
ALL_TABLES = INGESTION + DIRECTORY + METRICS + BILLING
# Assets that write a file, not a table.
REPORTING = ["usage_dashboard"]
ALL_ASSETS = ALL_TABLES + REPORTING
