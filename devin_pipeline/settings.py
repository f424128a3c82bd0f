"""Pipeline settings read from the environment, each checked with a message naming its variable.

The API key is deliberately not here: it reaches the resource only through `EnvVar`, so its
value is resolved at run time and never stored in the definitions or shown in the UI.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from devin_pipeline.resources.devin_api import check_base_url, check_page_size

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DUCKDB_PATH = REPO_ROOT / "data" / "devin_warehouse.duckdb"
DEFAULT_PARTITIONS_START = "2024-01-01"


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


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Reads DEVIN_* variables; unset ones take the defaults above."""
    env = os.environ if env is None else env
    defaults = Settings()
    return Settings(
        base_url=_base_url(env.get("DEVIN_API_BASE_URL", defaults.base_url)),
        duckdb_path=_duckdb_path(env.get("DEVIN_DUCKDB_PATH", defaults.duckdb_path)),
        partitions_start=_start(env.get("DEVIN_PARTITIONS_START", DEFAULT_PARTITIONS_START)),
        lookback_days=_int(env, "DEVIN_LOOKBACK_DAYS", defaults.lookback_days, 0, 365),
        concurrency=_int(env, "DEVIN_CONCURRENCY", defaults.concurrency, 1, 32),
        page_size=_page_size(env),
        include_deleted_orgs=_bool(env, "DEVIN_INCLUDE_DELETED_ORGS", True),
        max_retry_wait=float(_int(env, "DEVIN_API_MAX_RETRY_WAIT", 300, 0, 86_400)),
        max_pages=_int(env, "DEVIN_API_MAX_PAGES", defaults.max_pages, 1, 10_000_000),
        verify_walks=_bool(env, "DEVIN_VERIFY_COMPLETENESS", True),
        duckdb_lock_wait=float(_int(env, "DEVIN_DUCKDB_LOCK_WAIT", 1800, 0, 86_400)),
        organizations_enabled=_bool(env, "DEVIN_READ_ORGANIZATIONS", True),
        members_enabled=_bool(env, "DEVIN_READ_MEMBERS", True),
        consumption_enabled=_bool(env, "DEVIN_READ_CONSUMPTION", True),
        user_consumption_enabled=_bool(env, "DEVIN_READ_USER_CONSUMPTION", True),
        store_personal_data=_bool(env, "DEVIN_STORE_PERSONAL_DATA", True),
        reconciliation_tolerance_acus=_float(
            env, "DEVIN_RECONCILIATION_TOLERANCE_ACUS", defaults.reconciliation_tolerance_acus, 1e6
        ),
        reconciliation_tolerance_ratio=_float(
            env,
            "DEVIN_RECONCILIATION_TOLERANCE_RATIO",
            defaults.reconciliation_tolerance_ratio,
            1.0,
        ),
    )


def _base_url(value: str) -> str:
    try:
        return check_base_url(value)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None


def _page_size(env: Mapping[str, str]) -> int:
    value = _int(env, "DEVIN_API_PAGE_SIZE", 200, -(10**9), 10**9)
    try:
        return check_page_size(value)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None


def _duckdb_path(value: str) -> str:
    # A file named devin.duckdb gets the catalog name `devin`, which clashes with the schema.
    if Path(value).stem == "devin":
        raise ConfigurationError(
            f"DEVIN_DUCKDB_PATH must not be named devin.duckdb (got {value!r}): its catalog "
            "would be called `devin` and `devin.session_snapshots` would be ambiguous."
        )
    return value


def _start(value: str) -> date:
    try:
        start = date.fromisoformat(value)
    except ValueError:
        raise ConfigurationError(
            f"DEVIN_PARTITIONS_START must be a date YYYY-MM-DD, got {value!r}"
        ) from None
    if start < date(2020, 1, 1):
        raise ConfigurationError(f"DEVIN_PARTITIONS_START {value} is before 2020-01-01")
    if start > datetime.now(UTC).date():
        raise ConfigurationError(f"DEVIN_PARTITIONS_START {value} is in the future")
    return start


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigurationError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float, high: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, got {raw!r}") from None
    if not 0 <= value <= high:
        raise ConfigurationError(f"{name} must be between 0 and {high:g}, got {value:g}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes"):
        return True
    if raw in ("0", "false", "no"):
        return False
    raise ConfigurationError(f"{name} must be true or false, got {raw!r}")
