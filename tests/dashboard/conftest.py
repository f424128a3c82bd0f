"""The dashboard tests' shared fixture: the pipeline's warehouse with the dashboard asset on it."""

from tests.dashboard.warehouses import pipeline_dashboard  # noqa: F401 (a fixture)
