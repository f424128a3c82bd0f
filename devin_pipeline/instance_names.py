"""The names one instance of the pipeline takes in a Dagster project, all from its key prefix.

Two instances in one project (two Devin enterprises, or production and a sandbox) must not
share an asset key, a DuckDB schema, a job, schedule, sensor, op or resource key, or a pool.
The default prefix `devin` keeps the names this code location has always had.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dagster import AssetKey

from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA

DEFAULT_PREFIX = DEFAULT_SCHEMA
# A DuckDB schema name written unquoted into SQL, and one asset key part.
PREFIX_PATTERN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class InstanceNames:
    """Asset keys, schema, job/schedule/sensor/op names, resource keys and pool of an instance."""

    prefix: str = DEFAULT_PREFIX

    def __post_init__(self) -> None:
        if not PREFIX_PATTERN.match(self.prefix):
            raise ValueError(
                "translation.key_prefix names the DuckDB schema too: lowercase letters, digits "
                "and _, "
                f"not starting with a digit, got {self.prefix!r}"
            )

    @property
    def schema(self) -> str:
        """The DuckDB schema of the instance's tables: its key prefix."""
        return self.prefix

    def key(self, table: str) -> AssetKey:
        """Asset key = table name, under the prefix."""
        return AssetKey([self.prefix, table])

    def table(self, table: str) -> str:
        return f"{self.schema}.{table}"

    def scoped(self, name: str) -> str:
        """A project-wide name (job, schedule, sensor, op, resource key, pool) of the instance."""
        return name if self.prefix == DEFAULT_PREFIX else f"{self.prefix}_{name}"

    @property
    def pool(self) -> str:
        return self.scoped("duckdb_writer")

    @property
    def api_resource(self) -> str:
        return self.scoped("devin_api")

    @property
    def duckdb_resource(self) -> str:
        return self.scoped("duckdb")


DEFAULT_NAMES = InstanceNames()
