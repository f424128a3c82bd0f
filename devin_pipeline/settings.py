"""Pipeline settings, each checked with a message naming where it came from.

One `Settings` object configures a pipeline instance. It is read from the environment
(`load_settings`, the code location's way) or from a component's YAML attributes
(`devin_pipeline.components`), both through the checks in `SOURCES`: one entry per setting,
naming its Settings field (which is also its YAML attribute), its environment variable, and
its check. A new setting is a field below plus its entry in `SOURCES`.

The API key is deliberately not here: it reaches the resource only through `EnvVar`, so its
value is resolved at run time and never stored in the definitions or shown in the UI.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from devin_pipeline.resources.config_checks import check_base_url, check_page_size
from devin_pipeline.warehouse.sql_files import DEFAULT_SCHEMA

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DUCKDB_PATH = REPO_ROOT / "data" / "devin_warehouse.duckdb"
DEFAULT_PARTITIONS_START = "2024-01-01"
# What a literal value may look like in YAML, for `dg check yaml` (JSON schema) and load.
URL_PATTERN = r"^(https://[^\s/]+|http://(localhost|127(\.\d{1,3}){3}|\[::1\]))([:/]\S*)?$"
DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


class ConfigurationError(ValueError):
    """A setting is invalid; raised before any request is made."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about a run except the secret."""

    base_url: str = "https://api.devin.ai"
    duckdb_path: str = str(DEFAULT_DUCKDB_PATH)
    partitions_start: date = date(2024, 1, 1)
    lookback_days: int = 2
    concurrency: int = 4
    page_size: int = 200
    include_deleted_orgs: bool = True
    max_retry_wait: float = 300.0
    max_pages: int = 10_000
    verify_walks: bool = True
    duckdb_lock_wait: float = 1800.0
    # Sources besides sessions, each switchable: a key may lack their permissions.
    organizations_enabled: bool = True
    members_enabled: bool = True
    consumption_enabled: bool = True
    user_consumption_enabled: bool = True
    store_personal_data: bool = True
    # An org's settled session-derived and billed ACUs may differ by max(absolute, ratio x billed).
    reconciliation_tolerance_acus: float = 1.0
    reconciliation_tolerance_ratio: float = 0.02
    # The usage dashboard's per-person panels (top people, idle seats); false leaves them out.
    dashboard_per_person: bool = True


# (name to show in a message, raw value) -> checked value; raw is a str from the environment,
# or a YAML value (int, bool, str) after templating.
Check = Callable[[str, Any], Any]


@dataclass(frozen=True)
class SettingSource:
    """Where one setting comes from: its field (= YAML attribute), variable, check, YAML type."""

    field: str
    variable: str
    check: Check
    yaml_type: Any


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Reads DEVIN_* variables; unset or empty ones take the defaults above."""
    env = os.environ if env is None else env
    values = {
        source.field: source.check(source.variable, env[source.variable])
        for source in SOURCES
        if env.get(source.variable, "") != ""
    }
    return Settings(**values)


def check_duckdb_path(name: str, value: str, schema: str = DEFAULT_SCHEMA) -> str:
    """A file named `<schema>.duckdb` gets the catalog name `<schema>`: `schema.t` is ambiguous."""
    if Path(value).stem == schema:
        raise ConfigurationError(
            f"{name} must not be named {schema}.duckdb (got {value!r}): its catalog would be "
            f"called `{schema}` and `{schema}.session_snapshots` would be ambiguous."
        )
    return value


def _base_url(name: str, raw: Any) -> str:
    try:
        return check_base_url(str(raw))
    except ValueError as exc:
        raise ConfigurationError(str(exc).replace("base_url (DEVIN_API_BASE_URL)", name)) from None


def _page_size(name: str, raw: Any) -> int:
    value = _integer(-(10**9), 10**9)(name, raw)
    try:
        return check_page_size(value)
    except ValueError as exc:
        raise ConfigurationError(
            str(exc).replace("page_size (DEVIN_API_PAGE_SIZE)", name)
        ) from None


def _start(name: str, raw: Any) -> date:
    try:
        start = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError:
        raise ConfigurationError(f"{name} must be a date YYYY-MM-DD, got {raw!r}") from None
    if start < date(2020, 1, 1):
        raise ConfigurationError(f"{name} {start} is before 2020-01-01")
    if start > datetime.now(UTC).date():
        raise ConfigurationError(f"{name} {start} is in the future")
    return start


def _integer(low: int, high: int) -> Check:
    def check(name: str, raw: Any) -> int:
        try:
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError
            value = int(raw)
        except ValueError:
            raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from None
        if not low <= value <= high:
            raise ConfigurationError(f"{name} must be between {low} and {high}, got {value}")
        return value

    return check


def _seconds(high: int) -> Check:
    return lambda name, raw: float(_integer(0, high)(name, raw))


def _number(high: float) -> Check:
    def check(name: str, raw: Any) -> float:
        try:
            if isinstance(raw, bool):
                raise ValueError
            value = float(raw)
        except ValueError:
            raise ConfigurationError(f"{name} must be a number, got {raw!r}") from None
        if not 0 <= value <= high:  # NaN fails this too
            raise ConfigurationError(f"{name} must be between 0 and {high:g}, got {raw!r}")
        return value

    return check


def _bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    raise ConfigurationError(f"{name} must be true or false, got {raw!r}")


def _duckdb_path(name: str, raw: Any) -> str:
    return check_duckdb_path(name, str(raw))


def _int_type(low: int, high: int) -> Any:
    return Annotated[int, Field(ge=low, le=high)]


def _number_type(high: float) -> Any:
    return Annotated[float, Field(ge=0, le=high)]


SOURCES: tuple[SettingSource, ...] = (
    SettingSource(
        "base_url", "DEVIN_API_BASE_URL", _base_url, Annotated[str, Field(pattern=URL_PATTERN)]
    ),
    SettingSource("duckdb_path", "DEVIN_DUCKDB_PATH", _duckdb_path, str),
    SettingSource(
        "partitions_start",
        "DEVIN_PARTITIONS_START",
        _start,
        Annotated[str, Field(pattern=DATE_PATTERN)],
    ),
    SettingSource("lookback_days", "DEVIN_LOOKBACK_DAYS", _integer(0, 365), _int_type(0, 365)),
    SettingSource("concurrency", "DEVIN_CONCURRENCY", _integer(1, 32), _int_type(1, 32)),
    SettingSource("page_size", "DEVIN_API_PAGE_SIZE", _page_size, _int_type(1, 200)),
    SettingSource("include_deleted_orgs", "DEVIN_INCLUDE_DELETED_ORGS", _bool, bool),
    SettingSource(
        "max_retry_wait", "DEVIN_API_MAX_RETRY_WAIT", _seconds(86_400), _int_type(0, 86_400)
    ),
    SettingSource(
        "max_pages", "DEVIN_API_MAX_PAGES", _integer(1, 10_000_000), _int_type(1, 10_000_000)
    ),
    SettingSource("verify_walks", "DEVIN_VERIFY_COMPLETENESS", _bool, bool),
    SettingSource(
        "duckdb_lock_wait", "DEVIN_DUCKDB_LOCK_WAIT", _seconds(86_400), _int_type(0, 86_400)
    ),
    SettingSource("organizations_enabled", "DEVIN_READ_ORGANIZATIONS", _bool, bool),
    SettingSource("members_enabled", "DEVIN_READ_MEMBERS", _bool, bool),
    SettingSource("consumption_enabled", "DEVIN_READ_CONSUMPTION", _bool, bool),
    SettingSource("user_consumption_enabled", "DEVIN_READ_USER_CONSUMPTION", _bool, bool),
    SettingSource("store_personal_data", "DEVIN_STORE_PERSONAL_DATA", _bool, bool),
    SettingSource(
        "reconciliation_tolerance_acus",
        "DEVIN_RECONCILIATION_TOLERANCE_ACUS",
        _number(1e6),
        _number_type(1e6),
    ),
    SettingSource(
        "reconciliation_tolerance_ratio",
        "DEVIN_RECONCILIATION_TOLERANCE_RATIO",
        _number(1.0),
        _number_type(1.0),
    ),
    SettingSource("dashboard_per_person", "DEVIN_DASHBOARD_PER_PERSON", _bool, bool),
)
