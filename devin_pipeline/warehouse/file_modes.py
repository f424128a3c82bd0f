"""Owner-only modes for the warehouse file, its directory and stage files: they hold names,
emails and what people typed, so other users of the machine must not read them."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE = 0o600
PRIVATE_DIRECTORY = 0o700
OTHERS = 0o077  # the group and world bits


def local_path(database: str) -> Path | None:
    """The file behind a DuckDB database string; None for memory, MotherDuck or a URL."""
    if database in ("", ":memory:") or "://" in database or database.startswith("md:"):
        return None
    return Path(database)


def others_bits(path: Path) -> int:
    """The group and world permission bits of `path` (0 when only its owner may use it)."""
    return stat.S_IMODE(path.stat().st_mode) & OTHERS


def make_private(path: Path, mode: int = PRIVATE_FILE) -> int | None:
    """Narrows `path` to `mode` if others may use it; returns the mode it had, else None."""
    if not path.exists():
        return None
    before = stat.S_IMODE(path.stat().st_mode)
    if not before & OTHERS:
        return None
    path.chmod(mode)
    return before


def private_directory(path: Path) -> None:
    """Creates `path` (and missing parents) with the last part owner-only; keeps one that exists."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=PRIVATE_DIRECTORY, exist_ok=True)


def open_private(path: Path) -> BinaryIO:
    """`path` opened for writing (truncated), created owner-only whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    os.chmod(fd, PRIVATE_FILE)  # an existing file keeps its mode through O_CREAT
    return os.fdopen(fd, "wb")
