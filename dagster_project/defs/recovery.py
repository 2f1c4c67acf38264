"""Runs whose process died: found and marked failed, so that the one-writer queue moves on.

A run killed with SIGKILL (or by the out-of-memory killer) cannot report its own end: it
stays ``STARTED`` in the Dagster run storage, and the run queue, which lets one
warehouse writer run at a time, then holds every later run ``QUEUED`` for ever. Dagster's
run monitoring cannot see it either (the default run launcher has no worker health
check). So every writer run records its process (host and PID) when it starts, and
whoever is about to start a writer (the pipeline CLI, the sensor and the schedule at
each tick, and every run at its start) first fails the writer runs whose process is gone.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

WAREHOUSE_WRITER_TAG = "doorstroom/warehouse"
PID_TAG = "doorstroom/pid"
PROCESS_START_TAG = "doorstroom/process_start"  # tells a reused PID from the run's process
HOST_TAG = "doorstroom/host"


def _start_time(pid: int) -> str | None:
    """The process's start time (clock ticks since boot, /proc/PID/stat field 22), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def process_tags() -> dict[str, str]:
    """The tags that name this process (a run started here runs in it)."""
    return {
        PID_TAG: str(os.getpid()),
        PROCESS_START_TAG: _start_time(os.getpid()) or "",
        HOST_TAG: socket.gethostname(),
    }


def claim(instance: DagsterInstance, run_id: str) -> None:
    """Record that ``run_id`` runs in this process."""
    instance.add_run_tags(run_id, process_tags())


def _alive(pid: int, started: str | None) -> bool:
    """Whether the process that ran the run still runs: the PID exists, is not a zombie (killed,
    not yet reaped), and, when its start time was recorded, started then (PIDs are reused)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0]
    except (OSError, IndexError):
        return True
    return state != "Z" and (not started or _start_time(pid) == started)


def fail_dead_runs(instance: DagsterInstance, keep: str | None = None) -> list[str]:
    """Mark failed every unfinished writer run of this host whose process is gone; their ids."""
    records = instance.get_run_records(
        RunsFilter(
            statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.CANCELING],
            tags={WAREHOUSE_WRITER_TAG: "writer", HOST_TAG: socket.gethostname()},
        )
    )
    failed = []
    for record in records:
        run = record.dagster_run
        pid = run.tags.get(PID_TAG)
        if run.run_id == keep or not pid or _alive(int(pid), run.tags.get(PROCESS_START_TAG)):
            continue
        instance.report_run_failed(
            run,
            message=(
                f"the process of this run (PID {pid}) died without ending it (killed?); marked failed "
                "so that the next run can start"
            ),
        )
        failed.append(run.run_id)
    return failed
