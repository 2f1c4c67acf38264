"""The dbt CLI resource, without two start-up costs the pipeline does not use.

For every ``dbt.cli(...)`` call, dagster-dbt 0.29 first runs ``dbt --version`` in a
subprocess and builds a dbt adapter in this process (dbt's imports, profile and
project), which only its ``fetch_row_counts`` / ``fetch_column_metadata`` helpers
need. doorstroom uses neither, and dbt-core is a locked dependency of this same
environment. On the benchmark machine the two took about 11 s a run together, seen
with ``python -m cProfile -m dagster_project.defs.pipeline`` (``DbtCliResource.cli``).

Both are private members of ``DbtCliResource``, so the saving is guarded: it applies
only to the dagster-dbt minor version it was written for (``GUARDED_VERSION``). On
another version ``DbtCli`` is the plain resource (correct, a few seconds slower), and
``tests/test_dbt_cli.py`` fails, saying to check the two members again.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version

GUARDED_VERSION = "0.29"  # dagster-dbt major.minor whose private members are overridden below
PRIVATE_MEMBERS = ("_cli_version", "_initialize_dbt_core_adapter")


def guard_holds() -> bool:
    """True when the installed dagster-dbt is the version the overrides were written for."""
    installed = version.parse(installed_version("dagster-dbt"))
    return f"{installed.major}.{installed.minor}" == GUARDED_VERSION and all(
        hasattr(DbtCliResource, member) for member in PRIVATE_MEMBERS
    )


class _FastDbtCli(DbtCliResource):
    """``DbtCliResource`` with the dbt version read from the package metadata, and no adapter."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


DbtCli: type[DbtCliResource] = _FastDbtCli if guard_holds() else DbtCliResource
