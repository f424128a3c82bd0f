"""Column docs of the adoption tables, shown in the Dagster UI (CONTRACT.md, "Adoption, money
and outcomes", in table form)."""

from __future__ import annotations

from devin_pipeline.assets.source_columns import table_schema

_PERIOD = [
    ("period", "VARCHAR", "day, week (Monday 00:00 UTC to the next Monday) or month (UTC)."),
    ("period_start", "DATE", "The period's first UTC day."),
]


ACTIVE_USER_COLUMNS = table_schema(
    [
        *_PERIOD,
        ("period_end", "DATE", "The first UTC day after the period."),
        ("scope", "VARCHAR", "enterprise or org (the org of the session's latest version)."),
        ("scope_id", "VARCHAR", "The org_id; '' for the enterprise."),
        ("org_name", "VARCHAR", "The org's name; NULL on enterprise rows or when unknown."),
        ("active_users", "BIGINT", "Distinct user_id of the versions updated in the period."),
        ("creating_users", "BIGINT", "Distinct user_id of the sessions created in the period."),
        ("is_complete", "BOOLEAN", "Its last day is on or before the latest fetched day."),
    ]
)
SEAT_COLUMNS = table_schema(
    [
        ("user_id", "VARCHAR", "A person of the users table (service users have no seat)."),
        ("user_name", "VARCHAR", "Name; NULL if unknown or personal data is not stored."),
        ("is_listed", "BOOLEAN", "Held by the latest members listing: a seat paid for today."),
        ("as_of_date", "DATE", "UTC date of the freshest snapshot (the data, not the clock)."),
        ("first_active_date", "DATE", "UTC date of the person's earliest observed version."),
        ("last_active_date", "DATE", "UTC date of the person's latest observed version."),
        ("sessions_7d", "BIGINT", "Distinct sessions with a version of theirs in 7 days."),
        ("sessions_30d", "BIGINT", "Likewise over 30 days."),
        ("sessions_90d", "BIGINT", "Likewise over 90 days."),
        ("acus_30d", "DOUBLE", "ACU deltas of their versions in the 30-day window."),
        ("status", "VARCHAR", "active, idle (versions, none recent enough) or never_used."),
    ]
)
REPORTED_COLUMNS = table_schema(
    [
        *_PERIOD,
        ("metric", "VARCHAR", "dau, wau, mau, sessions_created, prs_merged, ..."),
        ("dimension", "VARCHAR", "The origin or size key as sent; '' where none applies."),
        ("value", "DOUBLE", "The figure as sent."),
        ("fetched_at", "TIMESTAMPTZ", "When the run that stored this row read it."),
    ]
)
CROSSCHECK_COLUMNS = table_schema(
    [
        *_PERIOD,
        ("metric", "VARCHAR", "dau, wau, mau, sessions_created or sessions_created_by_origin."),
        ("dimension", "VARCHAR", "The origin for sessions_created_by_origin; '' otherwise."),
        ("reported", "DOUBLE", "What Devin's metrics endpoints said (0: key not sent)."),
        ("derived", "DOUBLE", "What the sessions show (creating_users, sessions created)."),
        ("difference", "DOUBLE", "derived - reported."),
        ("known_difference", "VARCHAR", "What explains a gap expected by construction."),
    ]
)
