"""The tables (= asset names under the key prefix) an instance of the pipeline writes."""

from __future__ import annotations

INGESTION = ["session_snapshots"]
DIRECTORY = ["organization_versions", "organizations", "member_listings", "users"]
METRICS = [
    "sessions",
    "org_daily_metrics",
    "category_daily_metrics",
    "user_daily_metrics",
    "origin_daily_metrics",
]
BILLING = ["acu_consumption", "acu_reconciliation"]
MONEY = ["billing_cycles", "org_budget_status", "session_insights", "outcome_metrics"]
ADOPTION = ["active_user_metrics", "seat_usage", "reported_metrics", "metrics_crosscheck"]
ALL_TABLES = INGESTION + DIRECTORY + METRICS + BILLING + MONEY + ADOPTION
# Assets that write a file, not a table.
REPORTING = ["usage_dashboard"]
ALL_ASSETS = ALL_TABLES + REPORTING
