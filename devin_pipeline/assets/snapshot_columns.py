"""Column docs of the session tables, shown in the Dagster UI (CONTRACT.md in table form)."""

from __future__ import annotations

from dagster import TableColumn, TableSchema

_COLUMNS = [
    ("session_id", "VARCHAR", "Session id; with updated_at, the primary key of a version."),
    ("url", "VARCHAR", "Link to the session in the Devin web app."),
    ("status", "VARCHAR", "Lifecycle status (new, claimed, running, exit, error, ...)."),
    ("status_detail", "VARCHAR", "Why running or suspended; free text, new values kept."),
    ("title", "VARCHAR", "Session title."),
    ("org_id", "VARCHAR", "Organisation the session ran in (deleted orgs included)."),
    ("user_id", "VARCHAR", "Human user who started it; NULL when a service user did."),
    ("service_user_id", "VARCHAR", "Service user that started it, if any."),
    ("origin", "VARCHAR", "Where it started: webapp, slack, api, ... (free text)."),
    ("category", "VARCHAR", "Kind of work; NULL until Devin classifies the session."),
    ("subcategory", "VARCHAR", "Finer kind of work."),
    ("tags", "VARCHAR[]", "Tags as sent; [] stays an empty list."),
    ("playbook_id", "VARCHAR", "Playbook the session followed."),
    ("parent_session_id", "VARCHAR", "Parent session of a child session."),
    ("child_session_ids", "VARCHAR[]", "Child sessions spawned."),
    ("is_archived", "BOOLEAN", "Archived in the web app."),
    ("acus_consumed", "DOUBLE", "ACUs consumed so far: cumulative over the session's life."),
    ("pull_requests", "STRUCT(pr_url, pr_state)[]", "Pull requests with their state."),
    ("structured_output", "JSON", "Structured output, as sent."),
    ("created_at", "TIMESTAMPTZ", "Creation time (API epoch seconds, stored UTC)."),
    ("updated_at", "TIMESTAMPTZ", "Time of this version; its UTC day is the partition."),
    ("snapshot_date", "DATE", "Partition key: the UTC date of updated_at."),
    ("fetched_at", "TIMESTAMPTZ", "When the run that stored this row read it."),
    ("raw", "JSON", "The item exactly as the API sent it, unknown fields included."),
]

SNAPSHOT_COLUMNS = TableSchema(
    columns=[TableColumn(name, type_, description) for name, type_, description in _COLUMNS]
)
