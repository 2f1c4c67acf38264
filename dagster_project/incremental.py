"""The incremental episodes' state version: when the nightly dbt run may merge, and when it
must rebuild everything (``--full-refresh``).

The episode models (dbt_models/intermediate/episodes, strategy ``replace_persons``) keep
their rows from one night to the next and rebuild only the persons whose lines or WOPs
changed (``int_persons_changed``). That is right only while the rows kept were computed
by the same SQL from pseudonyms under the same key. The state version says so: a hash of
everything the episodes are built from (the models, seeds and sources they depend on,
with their configuration, and every macro of the project) and of the pseudonym key's
fingerprint. dbt stores it in ``intermediate.int_episode_state``; the pipeline computes
it from the manifest, and a run whose version differs from the stored one rebuilds
everything instead of merging (dbt itself refuses to merge, macro assert_episode_state).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import duckdb

STATE_TABLE = "intermediate.int_episode_state"
STATE_VAR = "episode_state_version"
PROJECT = "doorstroom"


def episode_nodes(manifest: Mapping[str, Any]) -> list[str]:
    """The incremental models, the change set and state models, and everything upstream."""
    nodes = manifest["nodes"]
    roots = [
        uid
        for uid, node in nodes.items()
        if node["resource_type"] == "model"
        and node["package_name"] == PROJECT
        and (
            node["config"].get("materialized") == "incremental"
            or node["name"] in ("int_person_fingerprints", "int_persons_changed", "int_episode_state")
        )
    ]
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        uid = todo.pop()
        if uid in seen:
            continue
        seen.add(uid)
        node = nodes.get(uid) or manifest.get("sources", {}).get(uid) or {}
        todo.extend(node.get("depends_on", {}).get("nodes", []))
    return sorted(seen)


def state_version(manifest: Mapping[str, Any], key_fingerprint: str) -> str:
    """The version the episodes are built under (hex, 16 characters)."""
    digest = hashlib.sha256(key_fingerprint.encode())
    for uid in episode_nodes(manifest):
        node = manifest["nodes"].get(uid) or manifest.get("sources", {}).get(uid, {})
        checksum = node.get("checksum", {}).get("checksum", "")
        config = json.dumps(node.get("config", {}), sort_keys=True, default=str)
        digest.update(f"\n{uid}\n{checksum}\n{config}".encode())
    for uid in sorted(manifest.get("macros", {})):
        macro = manifest["macros"][uid]
        if macro["package_name"] == PROJECT:
            digest.update(f"\n{uid}\n{macro['macro_sql']}".encode())
    return digest.hexdigest()[:16]


def full_rebuild_reason(con: duckdb.DuckDBPyConnection, version: str) -> str | None:
    """Why the episodes must be rebuilt instead of merged into; None when they may be merged."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'intermediate' "
        "and table_name in ('int_episode_state', 'int_nec_spells_subtracted')"
    ).fetchone()[0]
    if exists == 0:
        return "no episodes built yet"
    if exists == 1:
        return "the episodes' state is missing"
    (built,) = con.execute(f"select max(state_version) from {STATE_TABLE}").fetchone()
    if built != version:
        return (
            "the episodes were built under another pseudonym key or other models "
            f"(state version {built}, now {version})"
        )
    return None
