"""`dg scaffold defs devin_pipeline.DevinWarehouseComponent <path>`: a `defs.yaml` that runs.

The connection settings come from the variables the code location reads, with today's
defaults, so a fresh instance runs against the sandbox or the real API unchanged.
"""

from __future__ import annotations

from dagster.components.component_scaffolding import scaffold_component
from dagster.components.scaffold.scaffold import Scaffolder, ScaffoldRequest
from pydantic import BaseModel, Field

DEFS_YAML = """\
type: {type_name}

attributes:
  # The service-user key: only ever an environment variable, read at run time.
  api_key: "{{{{ env.DEVIN_API_KEY }}}}"
  base_url: "{{{{ env.DEVIN_API_BASE_URL or 'https://api.devin.ai' }}}}"
  # Unset: <project root>/data/{key_prefix}_warehouse.duckdb.
  duckdb_path: "{{{{ env.DEVIN_DUCKDB_PATH }}}}"
  # Every setting of the README's configuration table is an attribute too, e.g.:
  # partitions_start: "2024-01-01"
  # lookback_days: 2
  # page_size: 200
  # organizations_enabled: true     # needs ManageOrganizations
  # members_enabled: true           # needs ManageAccountMembership
  # consumption_enabled: true       # needs ViewAccountConsumption
  # store_personal_data: true       # false: no names or emails in the warehouse
  schedules:
    daily_cron: "15 0 * * *"
    daily_enabled: true
    hourly_enabled: false
    consumption_cron: "30 8 * * *"
    consumption_enabled: true
  translation:
    # Asset keys <key_prefix>/..., DuckDB schema <key_prefix>; distinct per instance.
    key_prefix: {key_prefix}
    # group_names: {{ingestion: devin_ingestion, metrics: devin_metrics}}
    # owners: ["team:data-platform"]
"""


class DevinScaffoldParams(BaseModel):
    """`dg scaffold defs ... --key-prefix acme`: the instance's key prefix and schema."""

    key_prefix: str = Field(default="devin", pattern=r"^[a-z_][a-z0-9_]{0,62}$")


class DevinWarehouseScaffolder(Scaffolder[DevinScaffoldParams]):
    """Writes the instance's `defs.yaml` (or, with `--format python`, Dagster's component.py)."""

    @classmethod
    def get_scaffold_params(cls) -> type[DevinScaffoldParams]:
        return DevinScaffoldParams

    def scaffold(self, request: ScaffoldRequest[DevinScaffoldParams]) -> None:
        if request.scaffold_format != "yaml" or request.append:
            scaffold_component(request, {"translation": {"key_prefix": "devin"}})
            return
        prefix = request.params.key_prefix if request.params else "devin"
        text = DEFS_YAML.format(type_name=request.type_name, key_prefix=prefix)
        (request.target_path / "defs.yaml").write_text(text)
