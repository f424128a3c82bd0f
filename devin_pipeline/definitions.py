"""The code location: this project's component instances (`defs/`) and its executor.

`dagster ... -m devin_pipeline.definitions`, workspace.yaml and `dg` all load `defs`; it is
built at import, so an invalid setting fails the load at once, naming it.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster.components.core.component_tree import ComponentTreeException

from devin_pipeline.components import DevinWarehouseComponent
from devin_pipeline.settings import ConfigurationError, Settings


def build_defs(settings: Settings) -> dg.Definitions:
    """The default instance's Definitions for these settings (tests and the demo build theirs)."""
    return dg.build_defs_for_component(DevinWarehouseComponent.from_settings(settings))


def _load_defs_folder() -> dg.Definitions:
    try:
        return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    except ComponentTreeException as exc:
        # Dagster's message is the tree of defs/; the setting's own message says what to fix.
        if isinstance(exc.__cause__, ConfigurationError):
            raise exc.__cause__ from exc
        raise


# The project, not the component, picks the executor: in-process, since every step writes
# DuckDB in its instance's pool (limit 1) and a process per step buys only start-up time.
defs = dg.Definitions.merge(_load_defs_folder(), dg.Definitions(executor=dg.in_process_executor))
