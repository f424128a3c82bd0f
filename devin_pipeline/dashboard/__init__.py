"""The usage dashboard: one self-contained HTML page (and an SVG per chart) from the warehouse."""

from devin_pipeline.dashboard.build import Dashboard, build_dashboard, default_window
from devin_pipeline.dashboard.panels import Window

__all__ = ["Dashboard", "Window", "build_dashboard", "default_window"]
