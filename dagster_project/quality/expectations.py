"""Great Expectations suites kept as files: ``expectations/<suite>.json``.

Each suite names (``meta.model``) the dbt model of the ``quality`` folder whose rows are
validated: a DataFrame of modest size (a table of facts, or a summary of a big table),
made in SQL by dbt, in its lineage and docs. The suite's expectations are validated on it
with an ephemeral GX context. Thresholds live in the suite files (see expectations/README.md);
``DOORSTROOM_EXPECTATIONS_DIR`` points to another folder of suites. The results are kept
and shown on the gate's own report page (``report.py``), not in GX's data docs.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..settings import Settings
from .report import record_and_render

if TYPE_CHECKING:
    import pandas as pd

logging.getLogger("great_expectations").setLevel(logging.WARNING)
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def import_in_background() -> None:
    """Start importing GX (about 6 s of CPU) in a daemon thread.

    Called when a run starts, so that the import overlaps with ingestion and dbt
    (which run in DuckDB and a subprocess) instead of delaying the first check.
    ``validate`` imports GX as usual: Python's import lock makes it wait for this
    thread if the import is still under way.
    """
    threading.Thread(
        target=importlib.import_module, args=("great_expectations",), name="gx-import", daemon=True
    ).start()


def suites_dir() -> Path:
    return Settings.from_env().expectations_dir


@dataclass(frozen=True)
class Suite:
    name: str
    asset: str  # the dbt model the check is shown on (the table the suite is about)
    model: str  # the dbt model (quality folder) whose rows are validated
    description: str
    expectations: list[dict[str, Any]] = field(hash=False)

    @classmethod
    def load(cls, json_path: Path) -> Suite:
        config = json.loads(json_path.read_text(encoding="utf-8"))
        return cls(
            name=config["name"],
            asset=config["meta"]["asset"],
            model=config["meta"]["model"],
            description=config["meta"].get("description", ""),
            expectations=config["expectations"],
        )


def load_suites(directory: Path | None = None) -> list[Suite]:
    return [Suite.load(p) for p in sorted((directory or suites_dir()).glob("*.json"))]


@dataclass(frozen=True)
class Outcome:
    passed: bool
    failures: list[str]  # one sentence per failed expectation: observed value against threshold
    evaluated: int
    # Per expectation, what the report shows (see ``_record``); JSON-ready.
    expectations: list[dict[str, Any]] = field(default_factory=list, compare=False, repr=False)


_COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list", "batch_id")


def _threshold(kwargs: dict[str, Any], shorten: bool = True) -> str:
    shown = {k: v for k, v in kwargs.items() if k not in _COLUMN_KWARGS and v is not None}
    if shorten and "value_set" in shown and len(shown["value_set"]) > 8:
        shown["value_set"] = f"{len(shown['value_set'])} accepted values"
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def _columns(kwargs: dict[str, Any]) -> str:
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    return ", ".join(map(str, kwargs.get("column_list") or []))


def _error(exception_info: dict[str, Any] | None) -> str:
    """GX's exception message(s): flat, or one per metric that could not be computed."""
    infos = [exception_info or {}]
    if not any("raised_exception" in i for i in infos):
        infos = [i for i in (exception_info or {}).values() if isinstance(i, dict)]
    return "; ".join(sorted({str(i.get("exception_message")) for i in infos if i.get("raised_exception")}))


# A frame's column that names its rows in a failure sentence ("in tewerkstelling_...csv").
ROW_LABELS = ("file_name", "extract")


def _observed(result: dict[str, Any], error: str = "", frame: pd.DataFrame | None = None) -> str:
    if error and not result:
        return f"an error ({error})"
    if "observed_value" in result:
        return str(result["observed_value"])
    sample = [str(v) for v in result.get("partial_unexpected_list", [])[:3]]
    text = f"{result.get('unexpected_count')} unexpected value(s), e.g. {', '.join(sample)}"
    label = next((c for c in ROW_LABELS if frame is not None and c in frame.columns), None)
    rows = result.get("partial_unexpected_index_list") or []
    if label and rows:
        text += " in " + ", ".join(str(frame.loc[i, label]) for i in rows[:3] if i in frame.index)
    return text


def _record(result: dict[str, Any]) -> dict[str, Any]:
    """One expectation's result as the report keeps it (from GX's ``to_json_dict()``).

    Only aggregates and GX's partial_unexpected_list; never the row indexes GX also returns.
    """
    config, found = result["expectation_config"], result.get("result") or {}
    kwargs = config.get("kwargs", {})
    record: dict[str, Any] = {
        "type": config.get("type"),
        "column": _columns(kwargs),
        "threshold": _threshold(kwargs, shorten=False),
        "success": bool(result.get("success")),
        "notes": (config.get("meta") or {}).get("notes", ""),
        "error": _error(result.get("exception_info")),
    }
    if "observed_value" in found:
        record["observed_value"] = found["observed_value"]
    for key in ("element_count", "unexpected_count", "unexpected_percent", "missing_count"):
        if key in found:
            record[key] = found[key]
    if "partial_unexpected_list" in found:
        record["unexpected_examples"] = list(found["partial_unexpected_list"])[:20]
    return record


def validate_all(
    checks: list[tuple[Suite, pd.DataFrame]], docs_dir: Path | None = None, run_id: str | None = None
) -> list[Outcome]:
    """Validate each DataFrame against its suite in one ephemeral GX context.

    With ``docs_dir``, each suite's result is kept there and the gate's report page
    (``report.report_path(docs_dir)``) is rendered again from every kept result, those
    of the other step included; ``run_id`` (the Dagster run) is shown with each result.
    """
    # Imported here: GX takes seconds to import, and loading the Definitions should not.
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("warehouse")
    outcomes = []
    for suite, frame in checks:
        gx_suite = context.suites.add(
            gx.ExpectationSuite(
                name=suite.name, expectations=suite.expectations, meta={"notes": suite.description}
            )
        )
        batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("whole")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
        )
        # The results go to the context's (in-memory) store, from which the docs are built.
        run = definition.run(batch_parameters={"dataframe": frame})
        records = [_record(r.to_json_dict()) for r in run.results]
        failures = [
            f"{record['type']}({record['column']}) observed "
            f"{_observed(r.result, record['error'], frame)} against {_threshold(r.expectation_config.kwargs)}"
            for r, record in zip(run.results, records, strict=True)
            if not r.success
        ]
        outcomes.append(Outcome(run.success and not failures, failures, len(run.results), records))
    if docs_dir is not None:
        record_and_render(
            docs_dir,
            (
                {
                    "suite": suite.name,
                    "asset": suite.asset,
                    "model": suite.model,
                    "notes": suite.description,
                    "run_id": run_id,
                    "passed": outcome.passed,
                    "rows_validated": len(frame),
                    "evaluated": outcome.evaluated,
                    "expectations": outcome.expectations,
                }
                for (suite, frame), outcome in zip(checks, outcomes, strict=True)
            ),
        )
    return outcomes
