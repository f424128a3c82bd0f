"""Loads the one-statement `.sql` files kept in `devin_pipeline/sql/`, filled in for a schema.

Every file is a `str.format` template: `{schema}` is the instance's DuckDB schema (its asset
key prefix, `devin` by default), other placeholders (`{table}`, `{group_column}`, `{create}`)
are identifiers the caller names, and a literal brace is written twice (`{{`, `}}`).
Only identifiers of this package are formatted in; values always go in as `$parameters`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

DEFAULT_SCHEMA = "devin"


def load_sql(name: str, schema: str, **identifiers: str) -> str:
    """`devin_pipeline/sql/<name>.sql` with `{schema}` and the given identifiers filled in."""
    return _template(name).format(schema=schema, **identifiers)


def sql_text(name: str) -> str:
    """The file's text as written, placeholders and all (what a fingerprint hashes)."""
    return _template(name)


@cache
def _template(name: str) -> str:
    # Cached: the files never change at run time.
    return resources.files("devin_pipeline").joinpath("sql", f"{name}.sql").read_text()
