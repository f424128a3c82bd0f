"""The component's YAML attributes for `Settings`: their schema and their checks.

Each attribute is a `Settings` field, checked by the same function as its environment
variable (`settings.SOURCES`), so YAML and environment refuse the same values. A literal
value must match its YAML type already in `dg check yaml`; a templated one
(`"{{ env.DEVIN_API_PAGE_SIZE }}"`) is checked once rendered, at load, and its message names
the attribute and the variable. A template that renders empty (an unset variable) means the
default, as an unset variable does for the code location.
"""

from __future__ import annotations

import os
import re
from typing import Annotated, Any

from dagster import EnvVar
from dagster.components import Resolver
from dagster.components.resolved.context import ResolutionContext
from dagster.components.resolved.errors import ResolutionException
from pydantic import Field

from devin_pipeline.sensors import MIN_SECRET_CHARS
from devin_pipeline.settings import SOURCES, ConfigurationError, SettingSource

TEMPLATE_PATTERN = r"^\s*\{\{.*\}\}\s*$"
Template = Annotated[str, Field(pattern=TEMPLATE_PATTERN)]
_VARIABLE = re.compile(r"""env\.([A-Za-z_]\w*)|env\(\s*['"]([A-Za-z_]\w*)['"]""")
_ENV_ONLY = re.compile(
    r"""^\s*\{\{\s*(env\.([A-Za-z_]\w*)|env\(\s*['"]([A-Za-z_]\w*)['"]\s*\))\s*\}\}\s*$"""
)
SOURCES_BY_FIELD = {source.field: source for source in SOURCES}


class AttributeConfigurationError(ConfigurationError, ResolutionException):
    """A YAML attribute is invalid; Dagster shows the message as is, naming the attribute."""


def yaml_type(source: SettingSource) -> Any:
    """What the attribute accepts in YAML: a literal of its type, or a template."""
    return source.yaml_type | Template


def attribute_name(field: str, raw: Any) -> str:
    """`page_size`, or `page_size (from DEVIN_API_PAGE_SIZE)` for a templated value."""
    variables = [a or b for a, b in _VARIABLE.findall(raw)] if isinstance(raw, str) else []
    return f"{field} (from {', '.join(variables)})" if variables else field


def resolve_setting(context: ResolutionContext, raw: Any) -> Any:
    """Renders a setting's template and checks it as its environment variable would be."""
    field = str(context.path[-1])
    value = context.resolve_value(raw)
    if value is None or value == "":
        return None  # the component takes the Settings default
    try:
        return SOURCES_BY_FIELD[field].check(attribute_name(field, raw), value)
    except ConfigurationError as exc:
        message = _masked(f"Invalid Devin component attribute {exc}")
        raise AttributeConfigurationError(message) from None


def _masked(message: str) -> str:
    """A template may render the key by mistake (`{{ env.DEVIN_API_KEY }}` in the wrong place)."""
    secret = os.environ.get("DEVIN_API_KEY", "")
    return message.replace(secret, "***") if len(secret) >= MIN_SECRET_CHARS else message


Setting = Annotated[
    Any,
    Resolver(resolve_setting, model_field_type=str, inject_before_resolve=False),
]


def resolve_api_key(context: ResolutionContext, raw: Any) -> EnvVar:
    """`{{ env.X }}` becomes EnvVar("X"), read at run time; the value is never rendered here."""
    found = _ENV_ONLY.match(raw) if isinstance(raw, str) else None
    if found is None:
        # Never echo `raw`: it may be the key itself.
        raise AttributeConfigurationError(
            "Invalid Devin component attribute api_key: it must name an environment variable, "
            "as '{{ env.DEVIN_API_KEY }}'; a key written into YAML would be stored in the "
            "definitions and shown in the UI."
        )
    return EnvVar(found.group(2) or found.group(3))


ApiKey = Annotated[
    EnvVar,
    Resolver(
        resolve_api_key,
        # Plain str: a JSON-schema pattern error would print the value, which may be the key.
        model_field_type=str,
        inject_before_resolve=False,
        description="The service-user key, as '{{ env.DEVIN_API_KEY }}': resolved to an EnvVar "
        "read at run time, never stored in the definitions.",
    ),
]
