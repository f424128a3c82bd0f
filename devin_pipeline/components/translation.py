"""How an instance's asset specs are presented in a project: the YAML `translation:` block.

`DevinTranslator.get_asset_spec` is applied to every asset spec the instance's definitions
produce (through `Definitions.map_asset_specs`), so an asset added to the pipeline later gets
the same groups, owners, tags, kinds, automation and freshness without code of its own. The
key prefix is applied when the assets are built, since Dagster does not let a mapping change
keys, and it also names the instance's DuckDB schema, jobs, schedules, sensor and pool.
"""
# No `from __future__ import annotations`: the Resolvable model is derived from the
# annotations at run time.

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any

from dagster import AssetSpec, AutomationCondition, FreshnessPolicy
from dagster.components import Resolvable, Resolver
from dagster.components.resolved.base import derive_model_type
from dagster.components.resolved.context import ResolutionContext
from pydantic import BaseModel, Field, create_model

from devin_pipeline.instance_names import DEFAULT_PREFIX, PREFIX_PATTERN
from devin_pipeline.settings import ConfigurationError

KEY_PREFIX = (
    "First part of every asset key; also the DuckDB schema and the prefix of job, schedule, "
    "sensor, resource and pool names (default devin: today's names)."
)


def _resolve_object(kind: type, attribute: str) -> Any:
    """A templated Dagster object ({{ dg.AutomationCondition.eager() }}), type-checked."""

    def resolve(context: ResolutionContext, raw: Any) -> Any:
        value = context.resolve_value(raw)
        if value is not None and not isinstance(value, kind):
            raise ConfigurationError(
                f"translation.{attribute} must be a {kind.__name__}, e.g. "
                f"'{{{{ dg.{kind.__name__}... }}}}', got {value!r}"
            )
        return value

    return resolve


@dataclass
class DevinTranslation(Resolvable):
    """The YAML `translation:` block; every attribute is optional."""

    key_prefix: Annotated[str, Resolver.default(description=KEY_PREFIX)] = DEFAULT_PREFIX
    group_names: Annotated[
        Mapping[str, str],
        Resolver.default(
            description="Default group (ingestion, metrics, directory, billing) -> group name."
        ),
    ] = field(default_factory=dict)
    owners: Annotated[
        Sequence[str] | None,
        Resolver.default(description="Owners of every asset (default team:data-platform)."),
    ] = None
    tags: Annotated[
        Mapping[str, str], Resolver.default(description="Tags added to every asset.")
    ] = field(default_factory=dict)
    kinds: Annotated[
        Sequence[str] | None,
        Resolver.default(description="Kinds of every asset, replacing duckdb/python."),
    ] = None
    automation_condition: Annotated[
        AutomationCondition | None,
        Resolver(
            _resolve_object(AutomationCondition, "automation_condition"),
            model_field_type=str | None,
            description="Condition of the assets that follow the snapshots (default: eager "
            "without ~any_deps_missing), e.g. "
            "'{{ dg.AutomationCondition.on_cron(\"0 1 * * *\") }}'.",
        ),
    ] = None
    freshness_policy: Annotated[
        FreshnessPolicy | None,
        Resolver(
            _resolve_object(FreshnessPolicy, "freshness_policy"),
            model_field_type=str | None,
            description="Freshness of the assets that have one (default: 30 h fail window).",
        ),
    ] = None

    @classmethod
    def model(cls) -> type[BaseModel]:
        return _translation_model() if cls is DevinTranslation else derive_model_type(cls)


@cache
def _translation_model() -> type[BaseModel]:
    """The derived model with `key_prefix` checked in `dg check yaml` too (Dagster would let
    any string through, to allow templates)."""
    prefix = Annotated[str, Field(pattern=PREFIX_PATTERN.pattern, description=KEY_PREFIX)]
    return create_model(
        "DevinTranslationModel",
        __base__=derive_model_type(DevinTranslation),
        key_prefix=(prefix, Field(default=DEFAULT_PREFIX, description=KEY_PREFIX)),
    )


class DevinTranslator:
    """Maps each default asset spec of an instance to its spec in the project.

    Subclass it and override `get_asset_spec` for what YAML cannot say (a per-asset owner,
    a description); return it from your component subclass's `translator`.
    """

    def __init__(self, translation: DevinTranslation | None = None) -> None:
        self.translation = translation or DevinTranslation()

    def get_asset_spec(self, spec: AssetSpec) -> AssetSpec:
        """`spec` carries the instance's key and the default group, owners, kinds, automation."""
        t = self.translation
        replaced: dict[str, Any] = {}
        if spec.group_name is not None and spec.group_name in t.group_names:
            replaced["group_name"] = t.group_names[spec.group_name]
        if t.owners is not None:
            replaced["owners"] = list(t.owners)
        if t.kinds is not None:
            replaced["kinds"] = set(t.kinds)
        # Only the assets that follow others have a condition: the snapshots follow the schedule.
        if t.automation_condition is not None and spec.automation_condition is not None:
            replaced["automation_condition"] = t.automation_condition
        if t.freshness_policy is not None and spec.freshness_policy is not None:
            replaced["freshness_policy"] = t.freshness_policy
        spec = spec.replace_attributes(**replaced) if replaced else spec
        return spec.merge_attributes(tags=dict(t.tags)) if t.tags else spec
