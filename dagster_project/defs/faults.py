"""Fault injection for the crash tests, as a resource: a pause at a named stage.

The domain code never looks for test hooks: ``ingest_file`` and ``publish`` take a
``checkpoint(stage)`` callable, and the assets pass this resource's ``checkpoint``. It
does nothing unless configured. The crash tests, which kill a pipeline CLI process,
configure it through that process's environment (read once, where the Definitions are
built): ``DOORSTROOM_TEST_PAUSE_<STAGE>=<seconds>`` (e.g. ``..._PUBLICATION=120``) makes
the run wait at that stage, after first writing the stage's name to the file
``DOORSTROOM_TEST_PAUSED_FILE`` names, so that the test knows the run got there.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

STAGES = ("ingestion", "publication")


class FaultInjection(ConfigurableResource):
    """Pauses (seconds per stage) for the crash tests; empty in every real run."""

    pauses: dict[str, float] = Field(default_factory=dict)
    marker_file: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> FaultInjection:
        pauses = {s: float(env[v]) for s in STAGES if (v := f"DOORSTROOM_TEST_PAUSE_{s.upper()}") in env}
        return cls(pauses=pauses, marker_file=env.get("DOORSTROOM_TEST_PAUSED_FILE", ""))

    def checkpoint(self, stage: str) -> None:
        seconds = self.pauses.get(stage, 0.0)
        if seconds:
            if self.marker_file:
                Path(self.marker_file).write_text(stage)
            time.sleep(seconds)
