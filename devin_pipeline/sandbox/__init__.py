"""A strict local fake of Devin's GET /v3/enterprise/sessions, for the demo, tests, benchmarks."""

from __future__ import annotations

from devin_pipeline.sandbox.app import SANDBOX_API_KEY, SANDBOX_NO_PERMISSION_KEY
from devin_pipeline.sandbox.data import SandboxData
from devin_pipeline.sandbox.faults import FaultPlan
from devin_pipeline.sandbox.server import Sandbox

__all__ = ["SANDBOX_API_KEY", "SANDBOX_NO_PERMISSION_KEY", "FaultPlan", "Sandbox", "SandboxData"]
