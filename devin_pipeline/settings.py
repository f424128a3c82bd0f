"""Pipeline settings, each declared once: the fields of `Settings` below.

A field's declaration (`setting(...)`) holds everything about it: its name (also its YAML
attribute), type, bounds, default, environment variable and one-line help. From it follow
`load_settings` (the code location's environment), the component's YAML schema and its
load-time checks (`devin_pipeline.components`), the scaffolded `defs.yaml` and the README's
configuration table (tested equal). A new setting is one more field here; then
`python -m devin_pipeline.components.scaffolder > devin_pipeline/defs/devin/defs.yaml` and the
rows of `python -m devin_pipeline.settings` into the README (the tests say if either is stale).

The API key is deliberately not here: it reaches the resource only through `EnvVar`, so its
value is resolved at run time and never stored in the definitions or shown in the UI.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, TypeAdapter, ValidationError
from pydantic.dataclasses import dataclass as pydantic_dataclass
from pydantic.fields import FieldInfo

from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DUCKDB_PATH = REPO_ROOT / "data" / "devin_warehouse.duckdb"
# What a literal YAML value may look like, for `dg check yaml` (its JSON schema); at load the
# checks below give the reason in words.
URL_PATTERN = r"^(https://[^\s/]+|http://(localhost|127(\.\d{1,3}){3}|\[::1\]))([:/]\S*)?$"
CURRENCY_PATTERN = r"^\s*[A-Za-z]{3}\s*$"
DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
API_KEY_HELP = (
    "Service-user key (`cog_...`) with `ViewAccountSessions` at enterprise level (and the "
    "permissions of the sources below). Read through `EnvVar` at run time; never logged, "
    "stored or shown."
)


class ConfigurationError(ValueError):
    """A setting is invalid; raised before any request is made."""


def check_base_url(value: str) -> str:
    """Refuses a non-HTTP URL, and plain http:// to anything but loopback: the key would leak."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http(s) origin like https://api.devin.ai")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError(
            f"uses plain http:// to {parts.hostname}: the API key would travel in clear. "
            "Use https://, or http:// only to a loopback host"
        )
    return value


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_duckdb_path(value: str, schema: str = DEFAULT_SCHEMA) -> str:
    """A file named `<schema>.duckdb` gets the catalog name `<schema>`: `schema.t` is ambiguous."""
    if Path(value).stem == schema:
        raise ValueError(
            f"must not be named {schema}.duckdb: its catalog would be called `{schema}` and "
            f"`{schema}.session_snapshots` would be ambiguous"
        )
    return value


def check_start(start: date) -> date:
    if start < date(2020, 1, 1):
        raise ValueError("is before 2020-01-01")
    if start > datetime.now(UTC).date():
        raise ValueError("is in the future")
    return start


def check_currency(value: str) -> str:
    """An ISO 4217 code: three letters, stored upper-case."""
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError("must be an ISO 4217 code such as USD")
    return code


def setting(
    default: Any,
    variable: str,
    help: str,
    *,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
    pattern: str | None = None,
    shown: str | None = None,
) -> Any:
    """One setting's declaration. `pattern` is for `dg check yaml` only; `shown` is the
    README's default where the value itself would mislead (a path on this machine)."""
    extra: dict[str, Any] = {"variable": variable}
    if pattern is not None:
        extra["pattern"] = pattern
    if shown is not None:
        extra["shown_default"] = shown
    bounded_number = default is None and le is not None
    finite = False if isinstance(default, float) or bounded_number else None
    return Field(
        default=default,
        description=help,
        gt=gt,
        ge=ge,
        le=le,
        allow_inf_nan=finite,
        json_schema_extra=extra,
    )


@pydantic_dataclass(frozen=True)
class Settings:
    """Everything configurable about a run except the secret."""

    base_url: Annotated[str, AfterValidator(check_base_url)] = setting(
        "https://api.devin.ai", "DEVIN_API_BASE_URL",
        "API origin (dedicated deployments have their own). `http://` only to loopback.",
        pattern=URL_PATTERN,
    )  # fmt: skip
    duckdb_path: Annotated[str, AfterValidator(check_duckdb_path)] = setting(
        str(DEFAULT_DUCKDB_PATH), "DEVIN_DUCKDB_PATH",
        "The warehouse file. Must not be named `devin.duckdb` (`<key_prefix>.duckdb`).",
        shown="`data/devin_warehouse.duckdb` (YAML: `data/<key_prefix>_warehouse.duckdb` in "
        "the project)",
    )  # fmt: skip
    partitions_start: Annotated[date, AfterValidator(check_start)] = setting(
        date(2024, 1, 1), "DEVIN_PARTITIONS_START", "First daily partition (YYYY-MM-DD).",
        pattern=DATE_PATTERN,
    )  # fmt: skip
    lookback_days: int = setting(
        2, "DEVIN_LOOKBACK_DAYS",
        "Days before yesterday that the daily schedule re-fetches for late updates.",
        ge=0, le=365,
    )  # fmt: skip
    concurrency: int = setting(
        8, "DEVIN_CONCURRENCY",
        "Day windows fetched at once within a run (one DuckDB writer).", ge=1, le=32,
    )  # fmt: skip
    page_size: int = setting(200, "DEVIN_API_PAGE_SIZE", "`first`, 1..200.", ge=1, le=200)
    include_deleted_orgs: bool = setting(
        True, "DEVIN_INCLUDE_DELETED_ORGS", "Read sessions of deleted orgs (their ACUs were spent)."
    )
    max_retry_wait: float = setting(
        300.0, "DEVIN_API_MAX_RETRY_WAIT", "Seconds a run may spend waiting on retries in total.",
        ge=0, le=86_400,
    )  # fmt: skip
    max_pages: int = setting(
        10_000, "DEVIN_API_MAX_PAGES",
        "Pages per window walk before pagination is declared endless.", ge=1, le=10_000_000,
    )  # fmt: skip
    verify_walks: bool = setting(
        True, "DEVIN_VERIFY_COMPLETENESS",
        "Re-walk multi-page windows until stable (see Failure semantics).",
    )  # fmt: skip
    duckdb_lock_wait: float = setting(
        1800.0, "DEVIN_DUCKDB_LOCK_WAIT",
        "Seconds a step waits for another process's lock on the DuckDB file before failing.",
        ge=0, le=86_400,
    )  # fmt: skip
    incremental_refresh: bool = setting(
        True, "DEVIN_INCREMENTAL_REFRESH",
        "Derived tables recompute only the days a change touched; `false` rebuilds them whole "
        "on every run (same rows, cost grows with the history).",
    )  # fmt: skip
    # Sources besides sessions, each switchable: a key may lack their permissions.
    organizations_enabled: bool = setting(
        True, "DEVIN_READ_ORGANIZATIONS",
        "List organizations (needs `ManageOrganizations`); off: org ids from sessions only, "
        "names NULL.",
    )  # fmt: skip
    members_enabled: bool = setting(
        True, "DEVIN_READ_MEMBERS",
        "List users, IdP users and service users (needs `ManageAccountMembership`); off: ids "
        "from sessions only.",
    )  # fmt: skip
    consumption_enabled: bool = setting(
        True, "DEVIN_READ_CONSUMPTION", "Read what was billed (needs `ViewAccountConsumption`)."
    )
    user_consumption_enabled: bool = setting(
        True, "DEVIN_READ_USER_CONSUMPTION",
        "Also read each listed person's consumption (a request per person per run).",
    )  # fmt: skip
    store_personal_data: bool = setting(
        True, "DEVIN_STORE_PERSONAL_DATA", "`false`: no names or emails anywhere in the warehouse."
    )
    # An org's settled session-derived and billed ACUs may differ by max(absolute, ratio x billed).
    reconciliation_tolerance_acus: float = setting(
        1.0, "DEVIN_RECONCILIATION_TOLERANCE_ACUS",
        "An org's settled billed and session-derived ACUs may differ by this much...",
        ge=0, le=1e6,
    )  # fmt: skip
    reconciliation_tolerance_ratio: float = setting(
        0.02, "DEVIN_RECONCILIATION_TOLERANCE_RATIO",
        "...or by this share of its billed ACUs, whichever is larger, before the check warns.",
        ge=0, le=1.0,
    )  # fmt: skip
    # Money and outcomes: the cycles and insights sources, the price of an ACU.
    cycles_enabled: bool = setting(
        True, "DEVIN_READ_CYCLES",
        "List billing cycles (needs `ViewAccountConsumption`; `ManageBilling` on older "
        "deployments); off or refused: cycles are UTC calendar months from 08:00 UTC on the 1st.",
    )  # fmt: skip
    insights_enabled: bool = setting(
        True, "DEVIN_READ_INSIGHTS",
        "Read session insights (needs `ViewAccountSessions`): sizes, message counts, Devin's "
        "analysis.",
    )  # fmt: skip
    acu_price: float | None = setting(
        None, "DEVIN_ACU_PRICE",
        "Price of one ACU, a decimal >= 0; unset: every `cost` column is NULL.",
        ge=0, le=1e9, shown="(unset)",
    )  # fmt: skip
    currency: Annotated[str, AfterValidator(check_currency)] = setting(
        "USD", "DEVIN_CURRENCY", "ISO 4217 code of that price, shown in the `currency` column.",
        pattern=CURRENCY_PATTERN,
    )  # fmt: skip
    budget_warn_share: float = setting(
        0.8, "DEVIN_BUDGET_WARN_SHARE",
        "In (0, 1]: the budget check warns when an org has billed this share of its cycle's "
        "ACU limit (or is forecast over it).",
        gt=0, le=1.0,
    )  # fmt: skip

    # Adoption: Devin's own metrics, idle seats, the cross-check's tolerance.
    metrics_enabled: bool = setting(
        True, "DEVIN_READ_METRICS",
        "Read Devin's own metrics (needs `ViewAccountMetrics`); off: `reported_metrics` stays "
        "empty.",
    )  # fmt: skip
    seat_idle_days: int = setting(
        30, "DEVIN_SEAT_IDLE_DAYS",
        "1..365: a person with no observed version in this many days is an `idle` seat.",
        ge=1, le=365,
    )  # fmt: skip
    crosscheck_tolerance_abs: float = setting(
        1.0, "DEVIN_CROSSCHECK_TOLERANCE_ABS",
        "A complete period's metric may differ from Devin's by this much...",
        ge=0, le=1e9,
    )  # fmt: skip
    crosscheck_tolerance_ratio: float = setting(
        0.05, "DEVIN_CROSSCHECK_TOLERANCE_RATIO",
        "...or by this share of Devin's figure, whichever is larger, before the check warns.",
        ge=0, le=1.0,
    )  # fmt: skip

    dashboard_per_person: bool = setting(
        True, "DEVIN_DASHBOARD_PER_PERSON",
        "`false`: the usage dashboard leaves out its per-person panels (top people, idle seats).",
    )  # fmt: skip


@dataclass(frozen=True)
class Declaration:
    """One setting as declared in `Settings`: what every other place derives from it."""

    name: str
    info: FieldInfo

    @property
    def variable(self) -> str:
        return self._extra["variable"]

    @property
    def help(self) -> str:
        return self.info.description or ""

    @property
    def default(self) -> Any:
        return self.info.default

    @property
    def shown_default(self) -> str:
        """The default as the README writes it."""
        if "shown_default" in self._extra:
            return self._extra["shown_default"]
        value = self.default
        if isinstance(value, bool):
            return f"`{str(value).lower()}`"
        return f"`{value:g}`" if isinstance(value, float) else f"`{value}`"

    @property
    def pattern(self) -> str | None:
        return self._extra.get("pattern")

    @property
    def _extra(self) -> dict[str, Any]:
        extra = self.info.json_schema_extra
        assert isinstance(extra, dict)
        return extra

    def label(self, variable: str | None = None) -> str:
        """How a message names it: `page_size (from DEVIN_X)` for a value read from DEVIN_X,
        else the attribute and its variable."""
        return f"{self.name} (from {variable})" if variable else f"{self.name} ({self.variable})"

    def check(self, raw: Any, label: str) -> Any:
        """The value, or a ConfigurationError naming `label` and what was given."""
        try:
            return _adapter(self.name).validate_python(raw)
        except ValidationError as exc:
            raise ConfigurationError(f"{label}: {self._reason(exc)}, got {raw}") from None

    def _reason(self, exc: ValidationError) -> str:
        """Pydantic's reason, or the declared check's own words, or the declared range."""
        error = exc.errors()[0]
        if error["type"] == "value_error":
            return str(error["ctx"]["error"])
        if error["type"] in ("greater_than", "greater_than_equal", "less_than_equal"):
            bounds = {type(m).__name__: m for m in self.info.metadata}
            if "Gt" in bounds:
                return f"must be above {bounds['Gt'].gt:g} and at most {bounds['Le'].le:g}"
            return f"must be {bounds['Ge'].ge:g}..{bounds['Le'].le:g}"
        return str(error["msg"])


_FIELDS: dict[str, FieldInfo] = Settings.__pydantic_fields__  # type: ignore[attr-defined]
DECLARATIONS: tuple[Declaration, ...] = tuple(
    Declaration(name, info) for name, info in _FIELDS.items()
)
DECLARED = {declaration.name: declaration for declaration in DECLARATIONS}


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    info = _FIELDS[name]
    if not info.metadata:
        return TypeAdapter(info.annotation)  # type: ignore[arg-type]
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)])  # type: ignore[valid-type,arg-type]


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Reads DEVIN_* variables; unset or empty ones take the declared defaults."""
    env = os.environ if env is None else env
    values = {
        d.name: d.check(env[d.variable], d.label(d.variable))
        for d in DECLARATIONS
        if env.get(d.variable, "") != ""
    }
    return Settings(**values)


def configuration_rows() -> list[str]:
    """The README configuration table's row of each setting, in declaration order."""
    return [f"| `{d.variable}` | `{d.name}` | {d.shown_default} | {d.help} |" for d in DECLARATIONS]


if __name__ == "__main__":
    print("\n".join(configuration_rows()))
