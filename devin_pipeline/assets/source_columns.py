"""Column docs of the organization, people and billing tables, shown in the Dagster UI
(CONTRACT.md, "Organizations, people and billing", in table form)."""

from __future__ import annotations

from dagster import TableColumn, TableSchema

_ORG_FIELDS = [
    ("org_id", "VARCHAR", "Organization id, as sessions name it."),
    ("name", "VARCHAR", "Its name in that version (a rename is a new version)."),
    ("created_at", "TIMESTAMPTZ", "When the org was created."),
    ("updated_at", "TIMESTAMPTZ", "When this version was made."),
    ("max_cycle_acu_limit", "DOUBLE", "ACU limit per billing cycle, if any."),
    ("max_session_acu_limit", "DOUBLE", "ACU limit per session, if any."),
]
_LISTED = [
    ("first_listed_at", "TIMESTAMPTZ", "fetched_at of the first listing that held it."),
    ("last_listed_at", "TIMESTAMPTZ", "fetched_at of the latest listing that held it."),
    ("is_listed", "BOOLEAN", "Held by the latest successful listing (false: deleted, or left)."),
]


def table_schema(columns: list[tuple[str, str, str]]) -> TableSchema:
    """A table's columns as the UI shows them, from (name, DuckDB type, description)."""
    return TableSchema(columns=[TableColumn(name, type_, text) for name, type_, text in columns])


ORGANIZATION_VERSION_COLUMNS = table_schema(
    [
        *_ORG_FIELDS,
        ("fetched_at", "TIMESTAMPTZ", "When the listing that stored this row read it."),
        ("raw", "JSON", "The item exactly as the API sent it."),
    ]
)
ORGANIZATION_COLUMNS = table_schema(
    [*_ORG_FIELDS, *_LISTED, ("raw", "JSON", "The latest listed version as sent.")]
)
_PERSON_FIELDS = [
    ("user_id", "VARCHAR", "user_id of a person, or service_user_id of a service user."),
    ("kind", "VARCHAR", "user or service_user."),
    ("name", "VARCHAR", "Name; NULL if never listed or personal data is not stored."),
    ("email", "VARCHAR", "Email (people only); NULL likewise."),
    (
        "role_assignments",
        "STRUCT(org_id, role_id, role_name, role_type, idp_group_name)[]",
        "Roles from every list the id appears in; idp_group_name for IdP ones.",
    ),
    ("expires_at", "TIMESTAMPTZ", "When a service user expires."),
]
USER_COLUMNS = table_schema(
    [
        *_PERSON_FIELDS,
        *_LISTED,
        ("raw", "JSON", "The latest listed item of each list, keyed by list."),
    ]
)

MEMBER_LISTING_COLUMNS = table_schema(
    [
        ("fetched_at", "TIMESTAMPTZ", "When the listing that stored this row read it."),
        *_PERSON_FIELDS,
        (
            "raw",
            "JSON",
            "The listed item of each list, keyed by list (scrubbed without personal data).",
        ),
    ]
)

CONSUMPTION_COLUMNS = table_schema(
    [
        ("billing_date", "DATE", "Billing day B: [B 08:00 UTC, B+1 08:00 UTC)."),
        ("scope", "VARCHAR", "enterprise, org or user."),
        ("scope_id", "VARCHAR", "The org or user id; '' for the enterprise."),
        ("product", "VARCHAR", "devin, cascade, terminal, review, ... as sent; all = the total."),
        ("acus", "DOUBLE", "ACUs as sent."),
        ("fetched_at", "TIMESTAMPTZ", "When the run that stored this row read it."),
    ]
)
RECONCILIATION_COLUMNS = table_schema(
    [
        ("billing_date", "DATE", "Billing day B: [B 08:00 UTC, B+1 08:00 UTC)."),
        ("org_id", "VARCHAR", "The org."),
        ("org_name", "VARCHAR", "Its name (latest listed version); NULL if unknown."),
        ("billed_acus", "DOUBLE", "Billed ACUs: scope org, product devin (0 when absent)."),
        ("session_acus", "DOUBLE", "Per-version ACU deltas of the org's versions, that day."),
        ("difference", "DOUBLE", "session_acus - billed_acus."),
    ]
)
