"""Devin sessions API -> DuckDB analytics warehouse, as a Dagster code location.

The Definitions are in `devin_pipeline.definitions` (`dagster ... -m devin_pipeline.definitions`,
workspace.yaml, `dg`). Importing this package builds nothing: the CLI and the sandbox start in
~0.1 s instead of the ~3 s that building the Definitions takes.
"""
