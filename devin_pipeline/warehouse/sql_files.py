"""Loads the one-statement `.sql` files kept in `devin_pipeline/sql/`."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_sql(name: str) -> str:
    """The text of `devin_pipeline/sql/<name>.sql`, cached: the files never change at run time."""
    return resources.files("devin_pipeline").joinpath("sql", f"{name}.sql").read_text()
