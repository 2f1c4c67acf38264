"""Opening a DuckDB file that another process may hold: wait briefly, then say who holds it.

DuckDB allows one writer per file, and a writer blocks every other process, readers
too. A run that meets a lock waits up to ``DOORSTROOM_LOCK_WAIT`` seconds (see settings.py)
and then stops with one line naming the file and the process that holds it.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from .ingestion.pseudonym import mask_numbers
from .settings import Settings

_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>\S+) \(PID (?P<pid>\d+)\)")


class FileLocked(RuntimeError):
    """Another process holds the DuckDB file; the message names the file and the holder."""


def holder(message: str) -> str:
    """``PID 123 (python3.11)`` from DuckDB's lock error, or ``another process``."""
    match = _HOLDER.search(message)
    if not match:
        return "another process"
    pid = match["pid"]
    command = Path(match["exe"]).name
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        command = " ".join(a.decode(errors="replace") for a in args if a)[:120] or command
    except OSError:
        pass
    return f"PID {pid} ({mask_numbers(command)})"


def connect(
    path: Path,
    *,
    read_only: bool = False,
    config: dict[str, str] | None = None,
    what: str = "DuckDB file",
    wait: float | None = None,
) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` that waits for a lock held by another process (``wait`` seconds, by
    default the setting DOORSTROOM_LOCK_WAIT), then raises ``FileLocked``."""
    if wait is None:
        wait = Settings.from_env().lock_wait_seconds
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise FileLocked(
                    f"the {what} {path} is locked by {holder(str(exc))}; it waited {wait:g} s. "
                    "Close that process (an analyst's session must open the published file read-only) "
                    "and run again."
                ) from None
            time.sleep(0.5)
