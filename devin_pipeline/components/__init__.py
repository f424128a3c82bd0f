"""The Devin component for Dagster projects (registered for `dg list components`)."""

from devin_pipeline.components.component import (
    DevinSchedules,
    DevinWarehouseComponent,
    devin_definitions,
)
from devin_pipeline.components.translation import DevinTranslation

__all__ = [
    "DevinSchedules",
    "DevinTranslation",
    "DevinWarehouseComponent",
    "devin_definitions",
]
