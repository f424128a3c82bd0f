"""Opaque page cursors: an offset bound to the query that produced it."""

from __future__ import annotations

import base64
import binascii
import hashlib

# Encodes to "+/+/": every cursor carries '+', '/' and '=' padding, so a client that does not
# URL-encode it sends a broken one and gets a 400, as it would from a real API.
_MAGIC = b"\xfb\xff\xbf"
_VERSION = b"\x01"
_LENGTH = len(_MAGIC) + len(_VERSION) + 4 + 8


class CursorError(ValueError):
    """The cursor is not one of ours, or belongs to a different query."""


def query_key(canonical: str) -> bytes:
    """An 8-byte digest of the query's canonical form (everything but the cursor)."""
    return hashlib.blake2b(canonical.encode(), digest_size=8).digest()


def encode_cursor(offset: int, key: bytes) -> str:
    """Standard base64 of magic, version, offset and query digest (16 bytes -> '==' padding)."""
    return base64.b64encode(_MAGIC + _VERSION + offset.to_bytes(4, "big") + key).decode()


def decode_cursor(cursor: str, key: bytes) -> int:
    """The offset in `cursor`, if it is well-formed and was issued for this query."""
    try:
        raw = base64.b64decode(cursor, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CursorError("Invalid cursor") from exc
    head = _MAGIC + _VERSION
    if len(raw) != _LENGTH or not raw.startswith(head):
        raise CursorError("Invalid cursor")
    if raw[-8:] != key:
        raise CursorError("Cursor does not match the query's filters")
    return int.from_bytes(raw[len(head) : len(head) + 4], "big")
