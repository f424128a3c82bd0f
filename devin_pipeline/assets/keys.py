"""The asset keys that other modules refer to (asset key = table name in schema `devin`)."""

from __future__ import annotations

from dagster import AssetKey

SNAPSHOTS = AssetKey(["devin", "session_snapshots"])
SESSIONS = AssetKey(["devin", "sessions"])
ORGANIZATION_VERSIONS = AssetKey(["devin", "organization_versions"])
ORGANIZATIONS = AssetKey(["devin", "organizations"])
USERS = AssetKey(["devin", "users"])
ACU_CONSUMPTION = AssetKey(["devin", "acu_consumption"])
ACU_RECONCILIATION = AssetKey(["devin", "acu_reconciliation"])
