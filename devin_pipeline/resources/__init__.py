"""The Devin API client: the only code in the project that speaks HTTP."""

from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.resources.errors import (
    DevinAPIError,
    PaginationError,
    RetryBudgetExhausted,
    SchemaError,
)
from devin_pipeline.resources.models import SessionPage

__all__ = [
    "DevinAPIError",
    "DevinAPIResource",
    "PaginationError",
    "RetryBudgetExhausted",
    "SchemaError",
    "SessionPage",
]
