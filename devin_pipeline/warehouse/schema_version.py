"""The version of the warehouse's table layout, stamped in the file by the code that made it.

`devin-pipeline doctor` compares it with the code's: a file written by another version of
the pipeline is named before a run trips over a column it does not have. Raise
SCHEMA_VERSION when a table's columns change incompatibly.
"""

from __future__ import annotations

import duckdb

from devin_pipeline.warehouse.sql_files import load_sql

SCHEMA_VERSION = 1


def stamp_schema_version(conn: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Records SCHEMA_VERSION in `schema` unless the schema already carries a version."""
    conn.execute(load_sql("create_schema_version_table", schema))
    conn.execute(load_sql("insert_schema_version", schema), {"version": SCHEMA_VERSION})


def read_schema_version(conn: duckdb.DuckDBPyConnection, schema: str) -> int | None:
    """The version stamped in `schema`; None when the schema or its stamp is missing."""
    try:
        row = conn.execute(load_sql("select_schema_version", schema)).fetchone()
    except duckdb.CatalogException:
        return None
    return None if row is None or row[0] is None else int(row[0])
