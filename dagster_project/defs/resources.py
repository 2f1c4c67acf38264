"""Dagster resources, all made from one ``Settings`` (see ``resources_from``).

The assets, the sensor and the schedule get the folders from these same resources; the
pseudonym key reaches the ingestion through ``Pseudonymisation``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, EnvVar, InitResourceContext

from .. import locks
from ..settings import Settings, checked_key
from . import recovery
from .faults import FaultInjection

KEY_VARIABLE = "DOORSTROOM_PSEUDONYM_KEY"


class Warehouse(ConfigurableResource):
    """The pipeline's working DuckDB file (one writer: only the pipeline opens it)."""

    path: str
    memory_limit: str
    temp_dir: str
    lock_wait_seconds: float

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """At the start of every run that writes: record its process, fail writer runs whose
        process died (their run would otherwise hold the one-writer queue for ever)."""
        if context.instance is not None and context.run is not None:
            recovery.claim(context.instance, context.run.run_id)
            for run_id in recovery.fail_dead_runs(context.instance, keep=context.run.run_id):
                context.log.warning(f"run {run_id} had died without ending; marked failed")

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        Path(self.temp_dir).mkdir(parents=True, exist_ok=True)
        config = {"memory_limit": self.memory_limit, "temp_directory": self.temp_dir}
        con = locks.connect(Path(self.path), config=config, what="warehouse", wait=self.lock_wait_seconds)
        try:
            yield con
        finally:
            con.close()


class Landing(ConfigurableResource):
    """The landing folder holding the deliveries."""

    path: str


class Published(ConfigurableResource):
    """The analysts' DuckDB file, replaced whole by each publication."""

    path: str
    lock_wait_seconds: float


class Pseudonymisation(ConfigurableResource):
    """The secret key of the INSZ pseudonyms. Given as ``EnvVar`` (Dagster never shows its
    value); empty means the public demo key, allowed only in demo mode over the demo folders."""

    key: str = ""

    def key_bytes(self) -> bytes:
        return checked_key(self.key)  # raises a SettingError saying what to do


class RunOptions(ConfigurableResource):
    """Per-run choices of the operator (run config in the UI, flags of the pipeline CLI)."""

    full_refresh: bool = False  # reload every file; accept a new pseudonym key or an older delivery


class DataQuality(ConfigurableResource):
    """Great Expectations: the folder of the gate's report. GX's slow import starts with the run."""

    docs_dir: str

    def setup_for_execution(self, context: InitResourceContext) -> None:
        from ..quality.expectations import import_in_background

        import_in_background()


def resources_from(
    settings: Settings, env: Mapping[str, str], key: str | None = None
) -> dict[str, ConfigurableResource]:
    """Every resource but dbt's (see dbt_project.py). The pseudonym key: ``key`` when given (tests),
    else DOORSTROOM_PSEUDONYM_KEY as an ``EnvVar`` when ``env`` has it, else the demo's (empty).
    ``env`` is read for nothing else but the crash tests' fault injection."""
    if key is None:
        key = EnvVar(KEY_VARIABLE) if env.get(KEY_VARIABLE) else ""
    return {
        "warehouse": Warehouse(
            path=str(settings.warehouse),
            memory_limit=settings.memory_limit,
            temp_dir=str(settings.temp_dir),
            lock_wait_seconds=settings.lock_wait_seconds,
        ),
        "landing": Landing(path=str(settings.landing_dir)),
        "published": Published(path=str(settings.published), lock_wait_seconds=settings.lock_wait_seconds),
        "pseudonymisation": Pseudonymisation(key=key),
        "data_quality": DataQuality(docs_dir=str(settings.quality_docs_dir)),
        "run_options": RunOptions(),
        "faults": FaultInjection.from_env(env),
    }
