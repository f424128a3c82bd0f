"""`DevinWarehouseComponent`: the Devin enterprise API into a DuckDB warehouse, in any project.

`dg scaffold defs devin_pipeline.components.DevinWarehouseComponent devin` writes a
`defs.yaml` reading the code location's environment variables; every attribute below is one
of them, plus `schedules` and `translation`.
"""
# No `from __future__ import annotations`: Dagster derives the YAML schema from the annotations.

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from dagster import AssetSpec, Definitions, EnvVar, PreviewWarning
from dagster._utils.schedules import is_valid_cron_string
from dagster.components import Component, ComponentLoadContext, Resolvable, Resolver
from dagster.components.core.load_defs import build_defs_for_component
from dagster.components.resolved.base import derive_model_type
from dagster.components.scaffold.scaffold import scaffold_with
from pydantic import BaseModel, Field, create_model

from devin_pipeline.components.attributes import (
    SOURCES_BY_FIELD,
    ApiKey,
    AttributeConfigurationError,
    Setting,
    yaml_type,
)
from devin_pipeline.components.pipeline import build_pipeline_defs
from devin_pipeline.components.scaffolder import DevinWarehouseScaffolder
from devin_pipeline.components.translation import DevinTranslation, DevinTranslator
from devin_pipeline.instance_names import InstanceNames
from devin_pipeline.schedules import ScheduleSettings
from devin_pipeline.settings import ConfigurationError, Settings, check_duckdb_path


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
class DevinWarehouseComponent(Component, Resolvable):
    """Devin's enterprise sessions API into a DuckDB warehouse.

    Every observed session version in daily UTC partitions; organizations and people; per-org,
    per-category, per-user and per-origin daily metrics; billed ACUs by billing day and their
    reconciliation with the sessions; their checks, schedules and a run-failure sensor. Each
    attribute but `schedules` and `translation` is a setting of the code location, named in the
    README with its environment variable.
    """

    api_key: ApiKey = field(default_factory=lambda: EnvVar("DEVIN_API_KEY"))
    # One line per Settings field; its check and YAML type are in settings.SOURCES.
    base_url: Setting = Settings.base_url
    # None: <project root>/data/<key_prefix>_warehouse.duckdb (this repository: today's file).
    duckdb_path: Setting = None
    partitions_start: Setting = Settings.partitions_start
    lookback_days: Setting = Settings.lookback_days
    concurrency: Setting = Settings.concurrency
    page_size: Setting = Settings.page_size
    include_deleted_orgs: Setting = Settings.include_deleted_orgs
    max_retry_wait: Setting = Settings.max_retry_wait
    max_pages: Setting = Settings.max_pages
    verify_walks: Setting = Settings.verify_walks
    duckdb_lock_wait: Setting = Settings.duckdb_lock_wait
    organizations_enabled: Setting = Settings.organizations_enabled
    members_enabled: Setting = Settings.members_enabled
    consumption_enabled: Setting = Settings.consumption_enabled
    user_consumption_enabled: Setting = Settings.user_consumption_enabled
    store_personal_data: Setting = Settings.store_personal_data
    reconciliation_tolerance_acus: Setting = Settings.reconciliation_tolerance_acus
    reconciliation_tolerance_ratio: Setting = Settings.reconciliation_tolerance_ratio
    dashboard_per_person: Setting = Settings.dashboard_per_person
    schedules: DevinSchedules = field(default_factory=DevinSchedules)
    translation: Annotated[
        DevinTranslation | None,
        Resolver.default(description="Key prefix, groups, owners, tags, kinds, automation."),
    ] = None

    def __post_init__(self) -> None:
        for source in SOURCES_BY_FIELD.values():
            # A template rendered empty means the default (duckdb_path's needs the project).
            if getattr(self, source.field) is None and source.field != "duckdb_path":
                setattr(self, source.field, getattr(Settings, source.field))
        try:
            self.names = InstanceNames(self.translation.key_prefix if self.translation else "devin")
            if self.duckdb_path is not None:
                check_duckdb_path("duckdb_path", self.duckdb_path, self.names.schema)
        except (ValueError, ConfigurationError) as exc:
            raise AttributeConfigurationError(f"Invalid Devin component attribute: {exc}") from None

    @classmethod
    def model(cls) -> type[BaseModel]:
        return _attributes_model(cls)

    def settings_in(self, project_root: Path) -> Settings:
        """The instance's pipeline settings, as `load_settings` gives the code location."""
        values = {f.name: getattr(self, f.name) for f in fields(Settings)}
        if values["duckdb_path"] is None:
            default = project_root / "data" / f"{self.names.prefix}_warehouse.duckdb"
            values["duckdb_path"] = str(default)
        return Settings(**values)

    @property
    def translator(self) -> DevinTranslator:
        return DevinTranslator(self.translation)

    def get_asset_spec(self, spec: AssetSpec) -> AssetSpec:
        """Override point: each default spec of the instance -> its spec in the project."""
        return self.translator.get_asset_spec(spec)

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        settings = self.settings_in(context.project_root)
        defs = build_pipeline_defs(settings, self.names, self.schedules.settings, self.api_key)
        with warnings.catch_warnings():
            # map_asset_specs is "preview" in Dagster 1.13; it is the generic way to translate.
            warnings.simplefilter("ignore", PreviewWarning)
            return defs.map_asset_specs(func=self.get_asset_spec)

    @classmethod
    def from_settings(cls, settings: Settings, **attributes: Any) -> "DevinWarehouseComponent":
        """The component for `Settings` already checked (the code location's environment)."""
        values = {f.name: getattr(settings, f.name) for f in fields(Settings)}
        return cls(**values, **attributes)


def devin_definitions(attributes: Mapping[str, Any] | None = None) -> Definitions:
    """The Definitions of one instance, for a project without `dg`: `attributes` are the
    `defs.yaml` attributes, templates included, checked the same way."""
    component = DevinWarehouseComponent.from_attributes_dict(attributes=dict(attributes or {}))
    return build_defs_for_component(component)


@cache
def _attributes_model(cls: type) -> type[BaseModel]:
    """The derived YAML model, each setting typed as a literal of its type or a template, so
    `dg check yaml` refuses `page_size: 500` or an http:// remote URL before anything loads."""
    overrides: dict[str, Any] = {
        name: (
            yaml_type(source),
            Field(default=_default(source.field), description=f"Or {source.variable}."),
        )
        for name, source in SOURCES_BY_FIELD.items()
    }
    return create_model(f"{cls.__name__}Model", __base__=derive_model_type(cls), **overrides)


def _default(name: str) -> Any:
    value = getattr(DevinWarehouseComponent, name)
    return value if value is None or isinstance(value, (int, float, str, bool)) else str(value)
