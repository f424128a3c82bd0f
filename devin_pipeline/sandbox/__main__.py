"""`python -m devin_pipeline.sandbox`: same as `devin-pipeline sandbox`."""

from __future__ import annotations

import sys

from devin_pipeline.sandbox.cli import run_cli

sys.exit(run_cli())
