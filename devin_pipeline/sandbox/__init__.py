"""A strict local fake of Devin's v3 enterprise API (sessions, organizations, members,
consumption), for the demo, tests, benchmarks."""

from __future__ import annotations

try:  # the `sandbox` extra: the pipeline itself needs none of these
    import fastapi  # noqa: F401
    import numpy  # noqa: F401
    import uvicorn  # noqa: F401
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        f"devin_pipeline.sandbox needs {missing.name}: pip install 'devin_pipeline[sandbox]'",
        name=missing.name,
    ) from missing

from devin_pipeline.sandbox.auth import SANDBOX_API_KEY, SANDBOX_NO_PERMISSION_KEY
from devin_pipeline.sandbox.data import SandboxData
from devin_pipeline.sandbox.faults import FaultPlan
from devin_pipeline.sandbox.server import Sandbox

__all__ = ["SANDBOX_API_KEY", "SANDBOX_NO_PERMISSION_KEY", "FaultPlan", "Sandbox", "SandboxData"]
