"""The DuckDB file: writable, not held by another process, its schema version, its modes.

Opened read-only, so checking never takes the write lock a run needs.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from devin_pipeline.doctor.report import Check
from devin_pipeline.warehouse.file_modes import PRIVATE_FILE, local_path, others_bits
from devin_pipeline.warehouse.resource import lock_holder
from devin_pipeline.warehouse.schema_version import SCHEMA_VERSION, read_schema_version


def warehouse_checks(database: str, schema: str) -> list[Check]:
    """One line each: the file's access, its lock, its schema version, its and its dir's modes."""
    path = local_path(database)
    if path is None:
        return [Check("duckdb.file", "skip", f"{database} is not a local file: not checked")]
    if not path.exists():
        return [_absent(path)]
    if not (os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK)):
        return [
            Check(
                "duckdb.file",
                "fail",
                f"{path} is not writable by this user (or its directory is not)",
                "Run the pipeline as the file's owner, or fix the owner (chown).",
                "DEVIN_DUCKDB_PATH",
            )
        ]
    checks = [Check("duckdb.file", "ok", f"{path} exists and is writable")]
    checks.extend(_open_checks(path, schema))
    return [*checks, _file_mode(path), _directory_mode(path.parent)]


def _absent(path: Path) -> Check:
    parent = next((p for p in path.parents if p.exists()), Path("/"))
    if not os.access(parent, os.W_OK):
        return Check(
            "duckdb.file",
            "fail",
            f"{path} does not exist and {parent} is not writable",
            "Point DEVIN_DUCKDB_PATH at a directory this user may write.",
            "DEVIN_DUCKDB_PATH",
        )
    return Check(
        "duckdb.file",
        "ok",
        f"{path} does not exist yet: the first run creates it owner-only "
        f"({PRIVATE_FILE:04o}, its new directory 0700)",
    )


def _open_checks(path: Path, schema: str) -> list[Check]:
    try:
        conn = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "Could not set lock" not in str(exc):
            return [Check("duckdb.lock", "fail", f"cannot open: {str(exc).splitlines()[0]}")]
        holder = lock_holder(exc)
        return [
            Check(
                "duckdb.lock",
                "fail",
                f"locked by {holder}",
                "Close that process (a DuckDB CLI, a notebook) or wait for the run holding it; "
                "a run waits DEVIN_DUCKDB_LOCK_WAIT seconds for it, then fails.",
                "DEVIN_DUCKDB_LOCK_WAIT",
                holder,
            )
        ]
    with conn:
        version = read_schema_version(conn, schema)
    return [Check("duckdb.lock", "ok", "no other process holds it"), _version(version, schema)]


def _version(version: int | None, schema: str) -> Check:
    name = "duckdb.schema_version"
    if version is None:
        detail = f"schema {schema} carries no version yet: the next run stamps {SCHEMA_VERSION}"
        return Check(name, "ok", detail, value=None)
    if version == SCHEMA_VERSION:
        return Check(name, "ok", f"{schema}: version {version}, as this code", value=version)
    return Check(
        name,
        "fail",
        f"{schema}: version {version}, this code writes version {SCHEMA_VERSION}",
        "Run the pipeline version that wrote it, or rebuild the warehouse into a new file "
        "(DEVIN_DUCKDB_PATH) with this version.",
        "DEVIN_DUCKDB_PATH",
        version,
    )


def _file_mode(path: Path) -> Check:
    mode = path.stat().st_mode & 0o777
    if not others_bits(path):
        return Check(
            "duckdb.file_mode", "ok", f"{mode:04o}: only its owner may read it", value=mode
        )
    return Check(
        "duckdb.file_mode",
        "warn",
        f"{mode:04o}: other users of this machine may read names, emails and prompts",
        f"The next run narrows it to {PRIVATE_FILE:04o}; or now: chmod 600 {path}",
        value=f"{mode:04o}",
    )


def _directory_mode(directory: Path) -> Check:
    mode = directory.stat().st_mode & 0o777
    if not others_bits(directory):
        return Check("duckdb.directory_mode", "ok", f"{directory}: {mode:04o}")
    return Check(
        "duckdb.directory_mode",
        "warn",
        f"{directory}: {mode:04o}; DuckDB's write-ahead log beside the file takes the umask's mode",
        f"chmod 700 {directory} (or run with umask 077)",
        value=f"{mode:04o}",
    )
