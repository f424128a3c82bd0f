"""Checks of the resource's configuration, shared with the settings: refused before any request."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def check_page_size(value: int) -> int:
    """The API takes `first` in 1..200; anything else is a configuration error, not a 422 later."""
    if not 1 <= value <= 200:
        raise ValueError(f"page_size (DEVIN_API_PAGE_SIZE) must be 1..200, got {value}")
    return value


def check_base_url(value: str) -> str:
    """Refuses a non-HTTP URL, and plain http:// to anything but loopback: the key would leak."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"base_url (DEVIN_API_BASE_URL) must be an http(s) origin like "
            f"https://api.devin.ai, got {value!r}"
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError(
            f"base_url (DEVIN_API_BASE_URL) uses plain http:// to {parts.hostname}: the API key "
            "would travel in clear. Use https://, or http:// only to a loopback host."
        )
    return value


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
