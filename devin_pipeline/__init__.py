"""Devin sessions API -> DuckDB analytics warehouse, as a Dagster code location.

`dagster ... -m devin_pipeline` finds `defs` here. It is loaded lazily (PEP 562) so that the
CLI and the sandbox do not pay for building the Definitions they never use.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "defs":
        from devin_pipeline.definitions import defs

        return defs
    raise AttributeError(f"module 'devin_pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "defs"])
