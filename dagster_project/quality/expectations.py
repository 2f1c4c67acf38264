"""Great Expectations suites kept as files: ``expectations/<suite>.json`` + ``<suite>.sql``.

The SQL makes a DataFrame of modest size from the warehouse (a table of facts, or
a summary of a big table); the suite's expectations are validated on it with an
ephemeral GX context. Thresholds live in the suite files (see expectations/README.md);
``DOORSTROOM_EXPECTATIONS_DIR`` points to another folder of suites.
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

from ..settings import PROJECT_ROOT

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
    return Path(os.environ.get("DOORSTROOM_EXPECTATIONS_DIR") or PROJECT_ROOT / "expectations")


@dataclass(frozen=True)
class Suite:
    name: str
    asset: str  # "raw/loads" for a raw asset, else a dbt model name
    description: str
    sql: str
    expectations: list[dict[str, Any]] = field(hash=False)

    @classmethod
    def load(cls, json_path: Path) -> Suite:
        config = json.loads(json_path.read_text(encoding="utf-8"))
        return cls(
            name=config["name"],
            asset=config["meta"]["asset"],
            description=config["meta"].get("description", ""),
            sql=json_path.with_suffix(".sql").read_text(encoding="utf-8"),
            expectations=config["expectations"],
        )


def load_suites(directory: Path | None = None) -> list[Suite]:
    return [Suite.load(p) for p in sorted((directory or suites_dir()).glob("*.json"))]


@dataclass(frozen=True)
class Outcome:
    passed: bool
    failures: list[str]  # one sentence per failed expectation: observed value against threshold
    evaluated: int


def _threshold(kwargs: dict[str, Any]) -> str:
    shown = {k: v for k, v in kwargs.items() if k not in ("column", "batch_id") and v is not None}
    if "value_set" in shown and len(shown["value_set"]) > 8:
        shown["value_set"] = f"{len(shown['value_set'])} accepted values"
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def _observed(result: dict[str, Any]) -> str:
    if "observed_value" in result:
        return str(result["observed_value"])
    sample = [str(v) for v in result.get("partial_unexpected_list", [])[:3]]
    return f"{result.get('unexpected_count')} unexpected value(s), e.g. {', '.join(sample)}"


def validate_all(checks: list[tuple[Suite, pd.DataFrame]], docs_dir: Path | None = None) -> list[Outcome]:
    """Validate each DataFrame against its suite in one ephemeral GX context.

    With ``docs_dir``, GX data docs of all the validations are then built there,
    once (rendering the docs costs about half a second per build).
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
        failures = [
            f"{r.expectation_config.type}({r.expectation_config.kwargs.get('column', '')}) observed "
            f"{_observed(r.result)} against {_threshold(r.expectation_config.kwargs)}"
            for r in run.results
            if not r.success
        ]
        outcomes.append(Outcome(run.success and not failures, failures, len(run.results)))
    if docs_dir is not None:
        context.add_data_docs_site(
            "doorstroom",
            {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        context.build_data_docs(site_names=["doorstroom"])
    return outcomes
