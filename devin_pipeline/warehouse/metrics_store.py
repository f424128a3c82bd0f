"""Keeps the daily metrics tables equal to what all of `session_snapshots` defines,
recomputing only the days a change touches (change_log.py).

Each refresh writes its tables inside one transaction, so a reader sees the old tables or
the new ones, never a half-written one. Definitions: CONTRACT.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb

from devin_pipeline.warehouse.change_log import (
    CREATED_IN_RANGE,
    delete_refresh_days,
    fingerprint,
    refresh_day_range,
    refreshing,
)
from devin_pipeline.warehouse.connection import count_rows
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA, load_sql


@dataclass(frozen=True)
class Label:
    """A descriptive column of a metrics table beside its group (a name, a kind)."""

    name: str
    type: str
    description: str
    carried: bool = False  # computed with the metrics; otherwise the name from `names_from`


@dataclass(frozen=True)
class MetricsTable:
    """One daily metrics table: its schema, its name there, the column it groups by, and its
    labels."""

    name: str
    group_column: str
    labels: tuple[Label, ...] = ()
    names_from: str | None = None  # the directory table its name label comes from, if any
    schema: str = DEFAULT_SCHEMA

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"

    def in_schema(self, schema: str) -> MetricsTable:
        """The same table in another instance's schema."""
        return replace(self, schema=schema)

    def sql(self, name: str) -> str:
        """A templated SQL file filled in for this table (identifiers, never user input)."""
        return load_sql(
            name,
            self.schema,
            table=self.qualified_name,
            group_column=self.group_column,
            labels="".join(f"    {label.name:<16} {label.type},\n" for label in self.labels),
            carried="".join(f"\n    {label.name}," for label in self.labels if label.carried),
        )


ORG_DAILY_METRICS = MetricsTable(
    "org_daily_metrics",
    "org_id",
    (Label("org_name", "VARCHAR", "The org's name (latest listed version); NULL if unknown."),),
    "organizations",
)
CATEGORY_DAILY_METRICS = MetricsTable("category_daily_metrics", "category")
USER_DAILY_METRICS = MetricsTable(
    "user_daily_metrics",
    "user_id",
    (
        Label("user_kind", "VARCHAR", "user, service_user or unattributed.", carried=True),
        Label("user_name", "VARCHAR", "The person's name from the members lists; NULL if unknown."),
    ),
    "users",
)
ORIGIN_DAILY_METRICS = MetricsTable("origin_daily_metrics", "origin")
METRICS_TABLES = (
    ORG_DAILY_METRICS,
    CATEGORY_DAILY_METRICS,
    USER_DAILY_METRICS,
    ORIGIN_DAILY_METRICS,
)


@dataclass(frozen=True)
class MetricsTotals:
    """All-time sums of a metrics table, for the metadata Dagster plots."""

    acus_consumed: float
    sessions_created: int
    prs_merged: int


# The scopes of create_daily_group_metrics.sql: all days on a rebuild, refresh_days on an
# incremental refresh.
ALL = "true"
REFRESH_DAYS = "metric_date IN (SELECT day FROM refresh_days)"
REFRESH_PRS = (
    "p.pr_url IN (SELECT pr_url FROM {schema}.session_pull_requests "
    "WHERE opened_on IN (SELECT day FROM refresh_days) "
    "OR merged_on IN (SELECT day FROM refresh_days))"
)
METRICS_SQL = (
    "create_dimension_macro",
    "create_session_group_macro",
    "create_daily_group_metrics",
    "create_daily_metrics_table",
    "insert_daily_metrics",
    "update_names",
)


def refresh_daily_metrics(
    conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA, incremental: bool = True
) -> dict[MetricsTable, int]:
    """Brings the metrics tables up to date with `sessions` and the attribution kept with it
    (session_store.py); returns their rows.

    The per-group figures are computed once, into a temp table all tables are copied from,
    and all are written in one transaction so they always agree with each other.
    Incrementally, only the days the changed sessions touch are recomputed (refresh_days).
    """
    tables = [table.in_schema(schema) for table in METRICS_TABLES]
    with refreshing(
        conn, schema, "daily_metrics",
        sources=["sessions"], tables=[table.name for table in tables],
        fingerprint=fingerprint(*METRICS_SQL), incremental=incremental,
    ) as refresh:  # fmt: skip
        params: dict[str, object] = {}
        if refresh.full:
            scopes = {"day_scope": ALL, "pr_scope": ALL, "created_scope": ALL}
        else:
            conn.execute(load_sql("create_refresh_days", schema), {"source": "sessions"})
            params = refresh_day_range(conn)
            scopes = {
                "day_scope": REFRESH_DAYS,
                "pr_scope": REFRESH_PRS.format(schema=schema),
                "created_scope": CREATED_IN_RANGE,
            }
        for macro in ("create_dimension_macro", "create_session_group_macro"):
            conn.execute(load_sql(macro, schema))
        conn.execute(load_sql("create_daily_group_metrics", schema, **scopes), params)
        for table in tables:
            if refresh.full:
                conn.execute(table.sql("create_daily_metrics_table"))
            else:
                conn.execute(delete_refresh_days(table.qualified_name, "metric_date", schema))
            conn.execute(table.sql("insert_daily_metrics"))
            if table.names_from:
                conn.execute(update_names(table.qualified_name, table.group_column,
                                          table.names_from, schema))  # fmt: skip
        conn.execute("DROP TABLE daily_group_metrics")
    # Keyed by the default-schema tables, so callers look them up the same in every schema.
    return {
        default: count_rows(conn, table.qualified_name)
        for default, table in zip(METRICS_TABLES, tables, strict=True)
    }


def update_names(table: str, key: str, directory: str, schema: str) -> str:
    """The statement that syncs `table`'s name label (org_name, user_name) with `directory`."""
    label = key.removesuffix("_id") + "_name"
    return load_sql(
        "update_names", schema, table=table, key=key, label=label, directory=f"{schema}.{directory}"
    )


def metrics_totals(conn: duckdb.DuckDBPyConnection, table: MetricsTable) -> MetricsTotals:
    """All-time totals of one metrics table."""
    row = conn.execute(table.sql("select_metrics_totals")).fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns one row
    return MetricsTotals(float(row[0]), int(row[1]), int(row[2]))


def top_groups(
    conn: duckdb.DuckDBPyConnection, table: MetricsTable, limit: int = 10
) -> tuple[list[str], list[tuple[object, ...]]]:
    """The groups with the most ACUs over all days: column names and rows."""
    cursor = conn.execute(table.sql("select_top_metric_groups"), {"limit": limit})
    return [column[0] for column in cursor.description], cursor.fetchall()


def sessions_total_acus(conn: duckdb.DuckDBPyConnection, schema: str = DEFAULT_SCHEMA) -> float:
    """The sum of every session's latest acus_consumed: what the metrics must add up to."""
    row = conn.execute(load_sql("select_sessions_total_acus", schema)).fetchone()
    return float(row[0]) if row else 0.0


def markdown_table(columns: list[str], rows: list[tuple[object, ...]]) -> str:
    """Rows as a Markdown table, for `MetadataValue.md` previews in the Dagster UI."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
