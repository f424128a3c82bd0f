"""`devin-pipeline doctor` and its Dagster job: does a key and a deployment work, and how does
this enterprise's API behave, in a few bounded requests."""

from devin_pipeline.doctor.report import Check, DoctorReport, render_json, render_text
from devin_pipeline.doctor.run import REQUEST_BOUND, run_doctor

__all__ = ["REQUEST_BOUND", "Check", "DoctorReport", "render_json", "render_text", "run_doctor"]
