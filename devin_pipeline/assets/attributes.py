"""What every asset of an instance shares, declared once: its key under the instance's prefix,
its group, the DuckDB writers' pool and its owners; and the daily sources' backfill policy."""

from __future__ import annotations

import warnings
from typing import Any

from dagster import BackfillPolicy, BetaWarning

from devin_pipeline.instance_names import InstanceNames

OWNERS = ["team:data-platform"]


def asset_attributes(names: InstanceNames, table: str, group: str) -> dict[str, Any]:
    """The `@asset` arguments of the instance's asset writing `table` (asset key = table)."""
    return {
        "key_prefix": names.prefix,
        "name": table,
        "group_name": group,
        "pool": names.pool,
        "owners": OWNERS,
    }


def single_run_backfill() -> BackfillPolicy:
    """A backfill of a daily source is one run over its range (one walk, one transaction)."""
    with warnings.catch_warnings():
        # BackfillPolicy.single_run() is beta in Dagster 1.13; we depend on it knowingly.
        warnings.simplefilter("ignore", BetaWarning)
        return BackfillPolicy.single_run()
