"""Dagster resources: the working warehouse and the landing folder, from the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext

from . import locks, recovery
from .settings import Settings


class Warehouse(ConfigurableResource):
    """The pipeline's working DuckDB file (one writer: only the pipeline opens it)."""

    path: str
    memory_limit: str  # from Settings (DOORSTROOM_MEMORY_LIMIT and its default)
    temp_dir: str = ""

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """At the start of every run that writes: record its process, fail writer runs whose
        process died (their run would otherwise hold the one-writer queue for ever)."""
        if context.instance is not None and context.run_id is not None:
            recovery.claim(context.instance, context.run_id)
            for run_id in recovery.fail_dead_runs(context.instance, keep=context.run_id):
                context.log.warning(f"run {run_id} had died without ending; marked failed")

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, str] = {"memory_limit": self.memory_limit}
        if self.temp_dir:
            Path(self.temp_dir).mkdir(parents=True, exist_ok=True)
            config["temp_directory"] = self.temp_dir
        con = locks.connect(Path(self.path), config=config, what="warehouse")
        try:
            yield con
        finally:
            con.close()

    def export_to_dbt(self) -> None:
        """Point the dbt subprocess (profiles.yml reads the environment) at this same file."""
        os.environ["DOORSTROOM_WAREHOUSE"] = self.path
        os.environ["DOORSTROOM_MEMORY_LIMIT"] = self.memory_limit
        if self.temp_dir:
            os.environ["DOORSTROOM_TEMP_DIR"] = self.temp_dir


class Landing(ConfigurableResource):
    """The landing folder holding the deliveries."""

    path: str


class Published(ConfigurableResource):
    """The analysts' DuckDB file, replaced whole by each publication."""

    path: str


class RunOptions(ConfigurableResource):
    """Per-run choices of the operator (run config in the UI, flags of the pipeline CLI)."""

    full_refresh: bool = False  # reload every file; accept a new pseudonym key or an older delivery


class DataQuality(ConfigurableResource):
    """Great Expectations: the folder of the gate's report. GX's slow import starts with the run."""

    docs_dir: str

    def setup_for_execution(self, context: InitResourceContext) -> None:
        from .quality.expectations import import_in_background

        import_in_background()


def resources_from(settings: Settings) -> dict[str, ConfigurableResource]:
    return {
        "warehouse": Warehouse(
            path=str(settings.warehouse),
            memory_limit=settings.memory_limit,
            temp_dir=str(settings.temp_dir),
        ),
        "landing": Landing(path=str(settings.landing_dir)),
        "data_quality": DataQuality(docs_dir=str(settings.quality_docs_dir)),
        "published": Published(path=str(settings.published)),
        "run_options": RunOptions(),
    }
