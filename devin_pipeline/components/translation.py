"""The YAML `translation:` block: Dagster's asset attributes, plus the instance's key prefix.

Every attribute but `key_prefix` is Dagster's own (`AssetAttributesModel`: group_name, owners,
tags, kinds, automation_condition, freshness_policy, key, deps, metadata...), templated with
`{{ spec }}` and applied to every asset spec by Dagster's `TranslatorResolvingInfo`, as the
dagster-dlt and dagster-sling components do. `key_prefix` is the instance's one name: the
first part of every asset key, the DuckDB schema, and the prefix of its jobs, schedules,
sensor, resources and pool.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

from dagster import AssetSpec
from dagster.components import Resolver
from dagster.components.resolved.context import ResolutionContext
from dagster.components.resolved.core_models import AssetAttributesModel
from dagster.components.utils.translation import TranslatorResolvingInfo
from pydantic import Field

from devin_pipeline.instance_names import DEFAULT_PREFIX, PREFIX_PATTERN

KEY_PREFIX = (
    "First part of every asset key; also the DuckDB schema and the prefix of job, schedule, "
    "sensor, resource and pool names (default devin: today's names)."
)
TRANSLATION = (
    "key_prefix, and Dagster's asset attributes for every asset of the instance (group_name, "
    "owners, tags, kinds, automation_condition, ...), templated with {{ spec }}."
)
# Shown by `dg check yaml` and at load for a `translation.group_names` of earlier releases.
GROUP_NAMES_MOVED = (
    "translation.group_names was replaced by group_name, a template on the default group "
    "such as {{ {'ingestion': 'devin_raw'}.get(spec.group_name, spec.group_name) }}, or by "
    "post_processing with target group:ingestion"
)


class DevinTranslationModel(AssetAttributesModel):  # type: ignore[valid-type,misc]
    """Dagster's asset attributes, with `key_prefix` as the instance's name."""

    key_prefix: str = Field(  # type: ignore[assignment]
        default=DEFAULT_PREFIX, pattern=PREFIX_PATTERN.pattern, description=KEY_PREFIX
    )
    group_names: Literal[GROUP_NAMES_MOVED] = Field(  # type: ignore[valid-type]
        default=GROUP_NAMES_MOVED, description="Replaced by group_name (see its message)."
    )


def _unchanged(spec: AssetSpec) -> AssetSpec:
    return spec


@dataclass(frozen=True)
class DevinTranslation:
    """The resolved block: the instance's key prefix and its spec translation."""

    key_prefix: str = DEFAULT_PREFIX
    translate: Callable[[AssetSpec], AssetSpec] = field(default=_unchanged)


def resolve_translation(
    context: ResolutionContext, model: DevinTranslationModel | None
) -> DevinTranslation | None:
    """The YAML block as Dagster's translation of each asset spec."""
    if model is None:
        return None
    attributes = model.model_dump(exclude_unset=True, exclude={"key_prefix", "group_names"})
    info = TranslatorResolvingInfo(
        asset_attributes=AssetAttributesModel.model_validate(attributes),
        resolution_context=context,
        model_key="translation",
    )
    translate = lambda spec: info.get_asset_spec(spec, {"spec": spec})  # noqa: E731
    return DevinTranslation(model.key_prefix, translate)


ResolvedTranslation = Annotated[
    DevinTranslation | None,
    Resolver(
        resolve_translation,
        model_field_type=DevinTranslationModel | None,  # type: ignore[arg-type]
        inject_before_resolve=False,
        description=TRANSLATION,
    ),
]
