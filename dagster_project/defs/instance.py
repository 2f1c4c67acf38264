"""The Dagster instance of the settings' home (runs, event logs, schedules, sensors)."""

from __future__ import annotations

import shutil
from pathlib import Path

from dagster import DagsterInstance

from ..settings import Settings

INSTANCE_CONFIG = Path(__file__).with_name("dagster.yaml")  # run queue, telemetry off, monitoring


def prepare_home(settings: Settings) -> Path:
    """The settings' DAGSTER_HOME, created with this project's dagster.yaml (kept up to date)."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_bytes() != INSTANCE_CONFIG.read_bytes():
        shutil.copyfile(INSTANCE_CONFIG, config)
    return home


def instance_for(settings: Settings) -> DagsterInstance:
    return DagsterInstance.from_config(str(prepare_home(settings)))
