"""`dg scaffold defs devin_pipeline.DevinWarehouseComponent <path>`: a `defs.yaml` that runs.

Written from the declarations: every setting reads the variable the code location reads
(unset: the declared default), so a fresh instance runs against the sandbox or the real API
unchanged. This repository's own `defs/devin/defs.yaml` is the same text (tested).
"""

from __future__ import annotations

from dataclasses import fields

from dagster.components.component_scaffolding import scaffold_component
from dagster.components.scaffold.scaffold import Scaffolder, ScaffoldRequest
from pydantic import BaseModel, Field

from devin_pipeline.instance_names import DEFAULT_PREFIX, PREFIX_PATTERN
from devin_pipeline.schedules import ScheduleSettings
from devin_pipeline.settings import DECLARATIONS

HEADER = """\
# Every setting reads its environment variable (README, Configuration); unset, the default.
# A literal works too (`page_size: 100`); `dg check yaml` checks it.
"""


def defs_yaml(type_name: str, key_prefix: str = DEFAULT_PREFIX) -> str:
    """The instance's `defs.yaml`: the key, each declared setting, schedules, key prefix."""
    settings = [f'  {d.name}: "{{{{ env.{d.variable} }}}}"' for d in DECLARATIONS]
    schedules = [
        f"    {f.name}: {_yaml_literal(getattr(ScheduleSettings, f.name))}"
        for f in fields(ScheduleSettings)
    ]
    return "\n".join(
        [
            HEADER + f"type: {type_name}",
            "",
            "attributes:",
            "  # The service-user key: only ever an environment variable, read at run time.",
            '  api_key: "{{ env.DEVIN_API_KEY }}"',
            *settings,
            "  schedules:",
            *schedules,
            "  translation:",
            "    # Asset keys <key_prefix>/..., DuckDB schema <key_prefix>; distinct per instance.",
            f"    key_prefix: {key_prefix}",
            "",
        ]
    )


def _yaml_literal(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else f'"{value}"'


class DevinScaffoldParams(BaseModel):
    """`dg scaffold defs ... --key-prefix acme`: the instance's key prefix and schema."""

    key_prefix: str = Field(default=DEFAULT_PREFIX, pattern=PREFIX_PATTERN.pattern)


class DevinWarehouseScaffolder(Scaffolder[DevinScaffoldParams]):
    """Writes the instance's `defs.yaml` (or, with `--format python`, Dagster's component.py)."""

    @classmethod
    def get_scaffold_params(cls) -> type[DevinScaffoldParams]:
        return DevinScaffoldParams

    def scaffold(self, request: ScaffoldRequest[DevinScaffoldParams]) -> None:
        if request.scaffold_format != "yaml" or request.append:
            scaffold_component(request, {"translation": {"key_prefix": DEFAULT_PREFIX}})
            return
        prefix = request.params.key_prefix if request.params else DEFAULT_PREFIX
        (request.target_path / "defs.yaml").write_text(defs_yaml(request.type_name, prefix))


if __name__ == "__main__":
    # This repository's devin_pipeline/defs/devin/defs.yaml (and the README's copy of it).
    print(defs_yaml("devin_pipeline.components.DevinWarehouseComponent"), end="")
