"""`devin-pipeline doctor`: its options, where its settings come from, its exit status."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from devin_pipeline.doctor.report import Check, DoctorReport, render_json, render_text
from devin_pipeline.doctor.run import REQUEST_BOUND, run_doctor
from devin_pipeline.settings import ConfigurationError, Settings, load_settings

USAGE_ERROR = 2


@dataclass(frozen=True)
class Target:
    """What to check: the settings, the key's variable, the schema (the instance's prefix)."""

    settings: Settings
    key_variable: str
    schema: str


def add_doctor_parser(commands: Any) -> None:
    """Registers `doctor` and its options on the CLI's subcommands."""
    doctor = commands.add_parser(
        "doctor",
        help="Check the key, each source's permission, the DuckDB file, and how the API behaves.",
        description="Checks what the pipeline needs, with the pipeline's settings (the "
        f"environment, or a component instance's defs.yaml), in at most {REQUEST_BOUND} "
        "requests: the base URL, TLS and the key; each source's permission; the DuckDB file "
        "(writable, unlocked, schema version, owner-only); and, on a recent busy day, the "
        "list's order, `total`, the bounds, page latency and the consumption date mark. "
        "Exit 0: everything needed works; 1: a required check failed; 2: usage error.",
    )
    doctor.add_argument("--format", choices=["text", "json"], default="text")
    doctor.add_argument(
        "--defs",
        type=Path,
        help="A component instance's defs.yaml: check its attributes instead of DEVIN_*.",
    )
    doctor.add_argument(
        "--schema", help="Schema: the instance's key prefix (default: --defs's, else devin)."
    )
    doctor.add_argument(
        "--day",
        type=date.fromisoformat,
        help="UTC day to look at the API's behaviour on (default: the last whole day the "
        "newest sessions show activity on).",
    )


def run_command(args: argparse.Namespace) -> int:
    """Runs the checks and prints the report; the exit status says whether all needed works."""
    try:
        target = _target(args.defs, args.schema)
    except FileNotFoundError as exc:
        sys.stderr.write(f"devin-pipeline doctor: {exc}\n")
        return USAGE_ERROR
    except (ConfigurationError, ValueError) as exc:
        report = DoctorReport("devin-pipeline doctor", REQUEST_BOUND)
        report.add(Check("settings", "fail", str(exc).splitlines()[0], "Fix the setting named."))
    else:
        api_key = os.environ.get(target.key_variable, "")
        report = run_doctor(
            target.settings,
            api_key,
            key_variable=target.key_variable,
            schema=target.schema,
            day=args.day,
        )
    render = render_json if args.format == "json" else render_text
    sys.stdout.write(render(report))
    return report.exit_code


def _target(defs: Path | None, schema: str | None) -> Target:
    """The environment's settings, or those of the instance `defs` declares."""
    if defs is None:
        return Target(load_settings(), "DEVIN_API_KEY", schema or "devin")
    import yaml

    from devin_pipeline.components import DevinWarehouseComponent

    if not defs.is_file():
        raise FileNotFoundError(f"--defs {defs}: no such file")
    attributes = (yaml.safe_load(defs.read_text()) or {}).get("attributes") or {}
    component = DevinWarehouseComponent.from_attributes_dict(attributes=attributes)
    settings = component.settings_in(_project_root(defs))
    return Target(settings, component.api_key.env_var_name, schema or component.names.schema)


def _project_root(defs: Path) -> Path:
    """The nearest folder above `defs` with a pyproject.toml, as `dg` finds a project."""
    for folder in defs.resolve().parents:
        if (folder / "pyproject.toml").exists():
            return folder
    return Path.cwd()
