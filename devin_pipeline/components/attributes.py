"""The component's YAML attributes for `Settings`: their schema and their checks.

Each attribute is a `Settings` field, typed and checked by its declaration (`settings.py`),
so YAML and environment refuse the same values. A literal value must match its declared type,
bounds and pattern already in `dg check yaml`; a templated one (`"{{ env.DEVIN_API_PAGE_SIZE }}"`)
is rendered by Dagster and checked at load, and its message names the attribute and the
variable. A template that renders empty (an unset variable) means the default, as an unset
variable does for the code location.
"""

from __future__ import annotations

import os
import re
from typing import Annotated, Any

from dagster import EnvVar
from dagster.components import Resolver
from dagster.components.resolved.context import ResolutionContext
from dagster.components.resolved.errors import ResolutionException
from pydantic import AfterValidator, Field

from devin_pipeline.sensors import MIN_SECRET_CHARS
from devin_pipeline.settings import API_KEY_HELP, DECLARED, ConfigurationError, Declaration

TEMPLATE_PATTERN = r"^\s*\{\{.*\}\}\s*$"
Template = Annotated[str, Field(pattern=TEMPLATE_PATTERN)]
_VARIABLE = re.compile(r"""env\.([A-Za-z_]\w*)|env\(\s*['"]([A-Za-z_]\w*)['"]""")
_ENV_ONLY = re.compile(
    r"""^\s*\{\{\s*(env\.([A-Za-z_]\w*)|env\(\s*['"]([A-Za-z_]\w*)['"]\s*\))\s*\}\}\s*$"""
)


class AttributeConfigurationError(ConfigurationError, ResolutionException):
    """A YAML attribute is invalid; Dagster shows the message as is, naming the attribute."""


def yaml_type(declaration: Declaration) -> Any:
    """What the attribute accepts in YAML: a literal of its declared type, bounds and pattern
    (a date as its text), or a template."""
    info = declaration.info
    kind = str if declaration.pattern else info.annotation
    bounds = [m for m in info.metadata if not isinstance(m, AfterValidator)]
    literal = Annotated[(kind, *bounds, Field(pattern=declaration.pattern))]  # type: ignore[valid-type]
    return literal | Template


def variables_in(raw: Any) -> str | None:
    """`DEVIN_API_PAGE_SIZE` for `"{{ env.DEVIN_API_PAGE_SIZE }}"`; None for a literal."""
    variables = [a or b for a, b in _VARIABLE.findall(raw)] if isinstance(raw, str) else []
    return ", ".join(variables) or None


def resolve_setting(context: ResolutionContext, raw: Any) -> Any:
    """Renders a setting's template (Dagster's templating) and checks it by its declaration."""
    declaration = DECLARED[str(context.path[-1])]
    value = context.resolve_value(raw)
    if value is None or value == "":
        return None  # the component takes the declared default
    try:
        return declaration.check(value, declaration.label(variables_in(raw)))
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
        description=f"{API_KEY_HELP} Written as '{{{{ env.DEVIN_API_KEY }}}}'.",
    ),
]
