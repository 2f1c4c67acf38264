"""Fault injection for the crash tests: a pause at a named stage, set by the environment.

``DOORSTROOM_TEST_PAUSE_<STAGE>=<seconds>`` (e.g. ``DOORSTROOM_TEST_PAUSE_PUBLICATION=120``)
makes the run wait there, so that a test can kill it at that point; the stage's name is
first written to the file ``DOORSTROOM_TEST_PAUSED_FILE`` names, if set, to tell the test
that the run got there. Unset: no effect.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def pause(stage: str) -> None:
    seconds = float(os.environ.get(f"DOORSTROOM_TEST_PAUSE_{stage.upper()}") or 0)
    if seconds:
        if marker := os.environ.get("DOORSTROOM_TEST_PAUSED_FILE"):
            Path(marker).write_text(stage)
        time.sleep(seconds)
