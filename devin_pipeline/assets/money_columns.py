"""Column docs of the money and outcome tables, shown in the Dagster UI (CONTRACT.md,
"Adoption, money and outcomes", in table form)."""

from __future__ import annotations

from devin_pipeline.assets.source_columns import table_schema

_MONEY = "times DEVIN_ACU_PRICE; NULL when it is unset"
BILLING_CYCLE_COLUMNS = table_schema(
    [
        ("cycle_start", "TIMESTAMPTZ", "A cycle's start (`after`)."),
        ("cycle_end", "TIMESTAMPTZ", "Its end (`before`), exclusive."),
        ("fetched_at", "TIMESTAMPTZ", "When the listing that stored it read it."),
    ]
)
BUDGET_COLUMNS = table_schema(
    [
        ("cycle_start", "TIMESTAMPTZ", "The cycle (listed, or a calendar month from 08:00 UTC)."),
        ("cycle_end", "TIMESTAMPTZ", "Its end, exclusive."),
        ("scope", "VARCHAR", "enterprise or org."),
        ("scope_id", "VARCHAR", "The org id; '' for the enterprise."),
        ("org_name", "VARCHAR", "The org's name (latest listed version); NULL if unknown."),
        ("acu_limit", "DOUBLE", "The org's max_cycle_acu_limit; NULL: no limit (enterprise)."),
        ("billed_acus", "DOUBLE", "acu_consumption, product all, over the cycle's days held."),
        ("billed_days", "INTEGER", "Billing days held in the cycle."),
        ("cycle_days", "INTEGER", "Billing days in the cycle."),
        (
            "forecast_acus",
            "DOUBLE",
            "billed / billed_days * cycle_days while it runs, then billed.",
        ),
        ("limit_share", "DOUBLE", "billed_acus / acu_limit."),
        ("forecast_share", "DOUBLE", "forecast_acus / acu_limit."),
        ("cost", "DOUBLE", f"billed_acus {_MONEY}."),
        ("forecast_cost", "DOUBLE", f"forecast_acus {_MONEY}."),
        ("currency", "VARCHAR", "DEVIN_CURRENCY."),
        ("is_current", "BOOLEAN", "The cycle holding the latest billing day fetched."),
    ]
)
INSIGHT_COLUMNS = table_schema(
    [
        ("session_id", "VARCHAR", "The session."),
        ("created_at", "TIMESTAMPTZ", "When it was created."),
        ("created_date", "DATE", "UTC date of created_at: the partition."),
        ("session_size", "VARCHAR", "xs .. xl as sent (from ACUs and messages)."),
        ("num_user_messages", "BIGINT", "Messages people sent."),
        ("num_devin_messages", "BIGINT", "Messages Devin sent."),
        ("has_analysis", "BOOLEAN", "Devin has generated its analysis."),
        ("analysis_category", "VARCHAR", "analysis.classification.category (free label)."),
        ("analysis_confidence", "DOUBLE", "analysis.classification.confidence."),
        ("programming_languages", "VARCHAR[]", "From the classification."),
        ("tools_and_frameworks", "VARCHAR[]", "From the classification."),
        ("issues", "INTEGER", "How many issues the analysis lists."),
        ("action_items_by_type", "MAP(VARCHAR, INTEGER)", "Action items per type, as sent."),
        ("analysis", "JSON", "As sent; without personal data, its counts and labels only."),
        ("fetched_at", "TIMESTAMPTZ", "When the run that stored it read it."),
    ]
)
OUTCOME_COLUMNS = table_schema(
    [
        ("month", "DATE", "First day of the UTC month of created_at: the cohort."),
        ("dimension", "VARCHAR", "enterprise, org, category, origin, session_size or team."),
        ("dimension_value", "VARCHAR", "The group ('' for enterprise; no_team, unknown)."),
        ("org_name", "VARCHAR", "For dimension org: its name."),
        ("sessions_created", "BIGINT", "Sessions of devin/sessions created in the month."),
        ("sessions_with_merged_pr", "BIGINT", "Whose latest version lists a merged PR."),
        ("merge_rate", "DOUBLE", "sessions_with_merged_pr / sessions_created."),
        ("prs_merged", "BIGINT", "Distinct merged pr_url of those sessions."),
        ("acus", "DOUBLE", "Sum of their latest acus_consumed."),
        ("acus_per_merged_pr", "DOUBLE", "acus / prs_merged; NULL when none merged."),
        ("cost", "DOUBLE", f"acus {_MONEY}."),
        ("cost_per_merged_pr", "DOUBLE", f"acus_per_merged_pr {_MONEY}."),
        ("is_settled", "BOOLEAN", "The month ended more than the lookback before the data."),
    ]
)
