"""What a run prints: one line per finished step, the steps' own messages, no DEBUG events;
and, when asked for, the whole event log with every stack trace in a log file.

Used as the jobs' ``console`` logger (``definitions.py``). The pipeline CLI sets
``log_file``; the closing summary is printed by ``pipeline.py`` from the run's events.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from dagster import DagsterEventType, Field, InitLoggerContext, logger


def root_cause(error) -> str:  # a SerializableErrorInfo
    """The innermost error's message, without Dagster's wrapper and the class name."""
    while error.cause is not None and error.cls_name in (
        "DagsterExecutionStepExecutionError",
        "DagsterUserCodeExecutionError",
    ):
        error = error.cause
    message = error.message.strip()
    prefix, _, rest = message.partition(": ")
    if "." in prefix and " " not in prefix and rest:  # "dagster._core.definitions.events.Failure: ..."
        message = rest
    return message


class _ConsoleFormatter(logging.Filter):
    """Keeps the records worth a line on the console and rewrites them as that line."""

    def filter(self, record: logging.LogRecord) -> bool:
        meta = getattr(record, "dagster_meta", None)
        if meta is None:
            return record.levelno >= logging.INFO
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        if event is None:  # a message of the step's own code, or of Dagster's engine
            if record.levelno < logging.INFO:
                return False
            if meta["orig_message"].startswith("Dependencies for step"):
                record.line = f"- {step} not run: an earlier step failed"
                return True
            mark = "!" if record.levelno >= logging.WARNING else " "
            record.line = f"{mark} {step}: {meta['orig_message']}"
            return True
        kind = event.event_type
        if kind == DagsterEventType.STEP_SUCCESS:
            seconds = event.event_specific_data.duration_ms / 1000
            record.line = f"✓ {step} ({seconds:.1f} s)"
        elif kind == DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            first = root_cause(error).splitlines()[0] if error else "unknown error"
            record.line = f"✗ {step} failed: {first}"
        elif kind == DagsterEventType.STEP_SKIPPED:
            record.line = f"- {step} not run: an earlier step failed"
        else:
            return False
        return True


class _LineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return getattr(record, "line", record.getMessage())


class _FileFormatter(logging.Formatter):
    """Every record, with the stack trace of a failed step."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        meta = getattr(record, "dagster_meta", None)
        event = meta.get("dagster_event") if meta else None
        if event is not None and event.event_type == DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            if error is not None:
                text += "\n" + error.to_string()
        return text


@logger(
    {"log_file": Field(str, is_required=False, default_value="", description="also log everything here")},
    description="One line per finished step and the steps' messages; everything, traces too, in log_file.",
)
def doorstroom_console(init_context: InitLoggerContext) -> logging.Logger:
    # Libraries' INFO chatter (dagster-dbt: "Copying partial_parse.msgpack ...") stays out.
    logging.getLogger("dagster.builtin").setLevel(logging.WARNING)
    log = logging.Logger("doorstroom", level=logging.DEBUG)
    console = logging.StreamHandler(sys.stdout)
    console.addFilter(_ConsoleFormatter())
    console.setFormatter(_LineFormatter())
    log.addHandler(console)
    if path := init_context.logger_config["log_file"]:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        file = logging.FileHandler(path, encoding="utf-8")
        file.setFormatter(_FileFormatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(file)
    return log
