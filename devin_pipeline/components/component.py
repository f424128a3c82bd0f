"""`DevinWarehouseComponent`: the Devin enterprise API into a DuckDB warehouse, in any project.

`dg scaffold defs devin_pipeline.components.DevinWarehouseComponent devin` writes a
`defs.yaml` reading the code location's environment variables; every attribute below is one
of them, plus `schedules` and `translation`.
"""
# No `from __future__ import annotations`: Dagster derives the YAML schema from the annotations.

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, make_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dagster import AssetSpec, Definitions, EnvVar
from dagster._utils.schedules import is_valid_cron_string
from dagster.components import Component, ComponentLoadContext, Resolvable
from dagster.components.core.load_defs import build_defs_for_component
from dagster.components.resolved.base import derive_model_type
from dagster.components.scaffold.scaffold import scaffold_with
from pydantic import BaseModel, Field, create_model

from devin_pipeline.components.attributes import (
    ApiKey,
    AttributeConfigurationError,
    Setting,
    yaml_type,
)
from devin_pipeline.components.pipeline import build_pipeline_defs
from devin_pipeline.components.scaffolder import DevinWarehouseScaffolder
from devin_pipeline.components.translation import (
    TRANSLATION,
    DevinTranslationModel,
    ResolvedTranslation,
)
from devin_pipeline.instance_names import InstanceNames
from devin_pipeline.schedules import ScheduleSettings
from devin_pipeline.settings import DECLARATIONS, Settings, check_duckdb_path

# One attribute per declared setting (settings.py); None: the declared default.
SettingAttributes = make_dataclass(
    "SettingAttributes", [(d.name, Setting, field(default=None)) for d in DECLARATIONS]
)


@dataclass
class DevinSchedules(Resolvable):
    """The YAML `schedules:` block: cron (UTC) and on/off of each schedule."""

    daily_cron: str = ScheduleSettings.daily_cron
    daily_enabled: bool = ScheduleSettings.daily_enabled
    hourly_cron: str = ScheduleSettings.hourly_cron
    hourly_enabled: bool = ScheduleSettings.hourly_enabled
    consumption_cron: str = ScheduleSettings.consumption_cron
    consumption_enabled: bool = ScheduleSettings.consumption_enabled

    def __post_init__(self) -> None:
        for name in ("daily_cron", "hourly_cron", "consumption_cron"):
            if not is_valid_cron_string(getattr(self, name)):
                raise AttributeConfigurationError(
                    f"Invalid Devin component attribute schedules.{name}: not a cron string, "
                    f"got {getattr(self, name)!r}"
                )

    @property
    def settings(self) -> ScheduleSettings:
        return ScheduleSettings(**{f.name: getattr(self, f.name) for f in fields(self)})


@scaffold_with(DevinWarehouseScaffolder)
@dataclass
class DevinWarehouseComponent(Component, Resolvable, SettingAttributes):  # type: ignore[misc,valid-type]
    """Devin's enterprise sessions API into a DuckDB warehouse.

    Every observed session version in daily UTC partitions; organizations and people; per-org,
    per-category, per-user and per-origin daily metrics; billed ACUs by billing day and their
    reconciliation with the sessions; their checks, schedules and a run-failure sensor. Each
    attribute but `api_key`, `schedules` and `translation` is a setting of the code location,
    named in the README with its environment variable.
    """

    api_key: ApiKey = field(default_factory=lambda: EnvVar("DEVIN_API_KEY"))
    schedules: DevinSchedules = field(default_factory=DevinSchedules)
    translation: ResolvedTranslation = None

    def __post_init__(self) -> None:
        try:
            self.names = InstanceNames(self.translation.key_prefix if self.translation else "devin")
        except ValueError as exc:
            raise AttributeConfigurationError(f"Invalid Devin component attribute: {exc}") from None
        if self.duckdb_path is None:
            return
        try:
            check_duckdb_path(self.duckdb_path, self.names.schema)
        except ValueError as exc:
            raise AttributeConfigurationError(
                f"Invalid Devin component attribute duckdb_path: {exc} (got {self.duckdb_path})"
            ) from None

    @classmethod
    def model(cls) -> type[BaseModel]:
        return _attributes_model(cls)

    def settings_in(self, project_root: Path) -> Settings:
        """The instance's pipeline settings, as `load_settings` gives the code location."""
        values = {d.name: getattr(self, d.name) for d in DECLARATIONS}
        if values["duckdb_path"] is None:
            default = project_root / "data" / f"{self.names.prefix}_warehouse.duckdb"
            values["duckdb_path"] = str(default)
        return Settings(**{name: value for name, value in values.items() if value is not None})

    def get_asset_spec(self, spec: AssetSpec) -> AssetSpec:
        """Override point, as in Dagster's integration components: each default spec of the
        instance -> its spec in the project (by default, the YAML `translation`)."""
        return self.translation.translate(spec) if self.translation else spec

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        settings = self.settings_in(context.project_root)
        return build_pipeline_defs(
            settings, self.names, self.schedules.settings, self.api_key, self.get_asset_spec
        )

    @classmethod
    def from_settings(cls, settings: Settings, **attributes: Any) -> "DevinWarehouseComponent":
        """The component for `Settings` already checked (the code location's environment)."""
        values = {d.name: getattr(settings, d.name) for d in DECLARATIONS}
        return cls(**values, **attributes)


def devin_definitions(attributes: Mapping[str, Any] | None = None) -> Definitions:
    """The Definitions of one instance, for a project without `dg`: `attributes` are the
    `defs.yaml` attributes, templates included, checked the same way."""
    component = DevinWarehouseComponent.from_attributes_dict(attributes=dict(attributes or {}))
    return build_defs_for_component(component)


@cache
def _attributes_model(cls: type) -> type[BaseModel]:
    """The derived YAML model, each setting typed by its declaration or a template, so
    `dg check yaml` refuses `page_size: 500` or an http:// remote URL before anything loads."""
    overrides: dict[str, Any] = {
        d.name: (yaml_type(d), Field(default=None, description=f"{d.help} Or {d.variable}."))
        for d in DECLARATIONS
    }
    # One schema, not a union, so `dg check yaml` shows the message of the attribute at fault.
    overrides["translation"] = (DevinTranslationModel, Field(default=None, description=TRANSLATION))
    return create_model(f"{cls.__name__}Model", __base__=derive_model_type(cls), **overrides)
