"""Dagster assets, one module per asset group."""
