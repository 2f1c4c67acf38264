"""Stage 3, transformation: dbt models, seeds and tests as Dagster assets and asset checks."""

import contextlib
import io
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ... import incremental
from ...ingestion.pseudonym import key_fingerprint
from ..dbt_project import doorstroom_dbt
from ..resources import Pseudonymisation, RunOptions, Warehouse

LAYERS = ("staging", "intermediate", "marts", "quality")
PARTIAL_PARSE = "partial_parse.msgpack"
KEEP_INVOCATIONS = 10  # dbt artifacts (manifest, run results, logs) of the latest runs


class LayerTranslator(DagsterDbtTranslator):
    """Groups dbt assets by layer: the folder under dbt_models/, or `reference` for seeds."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return next((part for part in fqn if part in LAYERS), super().get_group_name(dbt_resource_props))


@cache
def manifest() -> dict[str, Any]:
    """dbt's parsed manifest (what is published, which model feeds which check)."""
    return json.loads(doorstroom_dbt.manifest_path.read_text(encoding="utf-8"))


translator = LayerTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=doorstroom_dbt.manifest_path, dagster_dbt_translator=translator)
def doorstroom_dbt_assets(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: Warehouse,
    pseudonymisation: Pseudonymisation,
    run_options: RunOptions,
) -> Iterator[Any]:
    # Unit tests check the SQL, not the data: they run in `make test` (tests/test_dbt_unit_tests.py).
    invocation = dbt.cli(
        build_arguments(context, warehouse, pseudonymisation, run_options),
        context=context,
        target_path=run_target(context),
    )
    total = sum(
        1
        for node in invocation.manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed", "test") and node["package_name"] == "doorstroom"
    )
    done = 0
    # dagster-dbt writes every dbt log line to stdout: into the run's debug log instead, and a
    # progress line on every quarter of the nodes.
    with contextlib.redirect_stdout(_DebugLog(context)):
        for event in invocation.stream():
            done += 1
            if done * 4 // max(total, 1) > (done - 1) * 4 // max(total, 1):
                context.log.info(f"dbt: {done} of {total} models, seeds and tests done")
            yield event
    keep_partial_parse(invocation.target_path)
    prune_invocations(invocation.target_path.parent, keep=KEEP_INVOCATIONS)


def build_arguments(
    context: AssetExecutionContext,
    warehouse: Warehouse,
    pseudonymisation: Pseudonymisation,
    run_options: RunOptions,
) -> list[str]:
    """``dbt build``'s arguments: incremental episodes (only the changed persons rebuilt) unless
    the operator asked for a full rebuild or the episodes' state version differs
    (dagster_project/incremental.py): then --full-refresh, and the run's log says why."""
    version = incremental.state_version(manifest(), key_fingerprint(pseudonymisation.key_bytes()))
    args = [
        "build",
        "--exclude-resource-type",
        "unit_test",
        "--vars",
        json.dumps({incremental.STATE_VAR: version}),
    ]
    if run_options.full_refresh:
        reason: str | None = "asked for (--full-refresh)"
    else:
        with warehouse.connect() as con:
            reason = incremental.full_rebuild_reason(con, version)
    if reason:
        context.log.info(f"dbt: full rebuild of the episodes: {reason}")
        return [*args, "--full-refresh"]
    context.log.info("dbt: incremental: the episodes of the persons whose lines or WOPs changed are rebuilt")
    return args


def run_target(context: AssetExecutionContext) -> Path:
    """This run's own dbt target folder beside the settings' one (never the process's
    DBT_TARGET_PATH), seeded with its partial-parse file so that dbt does not parse again."""
    root = doorstroom_dbt.target_path
    target = root.parent / f"{doorstroom_dbt_assets.op.name}-{context.run.run_id[:7]}-{uuid.uuid4().hex[:7]}"
    target.mkdir(parents=True, exist_ok=True)
    if (root / PARTIAL_PARSE).exists():
        shutil.copy2(root / PARTIAL_PARSE, target / PARTIAL_PARSE)
    return target


def keep_partial_parse(run_target_path: Path) -> None:
    """Make this run's partial-parse file the one the next run starts from. dbt parses the
    whole project again when its vars change, and the run's vars (the episodes' state
    version) differ from those of `make manifest`: without this, every run would parse
    again; with it, only the first run under a new state version does."""
    parsed = run_target_path / PARTIAL_PARSE
    if parsed.exists():
        root = doorstroom_dbt.target_path
        root.mkdir(parents=True, exist_ok=True)
        staged = root / f"{PARTIAL_PARSE}.{uuid.uuid4().hex[:7]}"
        shutil.copy2(parsed, staged)
        os.replace(staged, root / PARTIAL_PARSE)


class _DebugLog(io.TextIOBase):
    """A text stream whose lines go to the run's log at DEBUG level."""

    def __init__(self, context: AssetExecutionContext) -> None:
        self._context = context

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.strip():
                self._context.log.debug(line)
        return len(text)


def prune_invocations(target_root: Path, keep: int) -> None:
    """Remove all but the newest ``keep`` per-run dbt target folders (one a night otherwise piles up)."""
    runs = sorted(target_root.glob(f"{doorstroom_dbt_assets.op.name}-*"), key=lambda p: p.stat().st_mtime)
    for old in runs[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
