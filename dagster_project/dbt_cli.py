"""The dbt CLI resource, without two start-up costs the pipeline does not use.

For every ``dbt.cli(...)`` call, dagster-dbt 0.29 first runs ``dbt --version`` in a
subprocess and builds a dbt adapter in this process (dbt's imports, profile and
project), which only its ``fetch_row_counts`` / ``fetch_column_metadata`` helpers
need. doorstroom uses neither, and dbt-core is a locked dependency of this same
environment. On the benchmark machine the two took about 11 s a run together, seen
with ``python -m cProfile -m dagster_project.pipeline`` (``DbtCliResource.cli``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version


class DbtCli(DbtCliResource):
    """``DbtCliResource`` with the dbt version read from the package metadata, and no adapter."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None
