"""Which warehouse relations are published: decided in dbt, read from its manifest.

A model or seed is published when its YAML says ``config: {meta: {published: true}}``
(the contract's part C tables, the further fact tables, and the reference tables the
answer needs). The published table keeps the model's name; facts come first, then
reference tables, each in name order. Its dbt description and those of its columns
become the comments of the published table and its columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .publish import PublishedTable

META_KEY = "published"


def _published_nodes(manifest: Mapping[str, Any], package: str) -> list[Mapping[str, Any]]:
    """The manifest's published models and seeds: facts first, then reference tables, by name."""
    nodes = [
        n
        for n in manifest["nodes"].values()
        if n["package_name"] == package
        and n["resource_type"] in ("model", "seed")
        and (n.get("config", {}).get("meta", {}) or n.get("meta", {})).get(META_KEY) is True
    ]
    return sorted(nodes, key=lambda n: (n["resource_type"] != "model", n["name"]))


def _text(description: str | None) -> str:
    """A dbt description as one line (YAML's folded text keeps line breaks and a final newline)."""
    return " ".join((description or "").split())


def published_tables(manifest: Mapping[str, Any], package: str = "doorstroom") -> list[PublishedTable]:
    return [
        PublishedTable(
            name=n["name"],
            relation=f"{n['schema']}.{n['alias']}",
            description=_text(n.get("description")),
            columns={name: _text(c.get("description")) for name, c in n.get("columns", {}).items()},
        )
        for n in _published_nodes(manifest, package)
    ]


def published_models(manifest: Mapping[str, Any], package: str = "doorstroom") -> list[str]:
    """The names of the published dbt models (not seeds): the publication's upstream assets."""
    return [n["name"] for n in _published_nodes(manifest, package) if n["resource_type"] == "model"]
