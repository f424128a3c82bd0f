"""Devin sessions API -> DuckDB analytics warehouse, as a Dagster code location."""
