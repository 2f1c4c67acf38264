"""`make pipeline`: run every asset over the landing folder, in process.

Exits non-zero when the run failed or a blocking check failed, saying which.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dagster import DagsterEventType, DagsterInstance, ExecuteInProcessResult

from ..ingestion.acceptance import PublishedFileUnreadable
from ..ingestion.freshness import up_to_date
from ..ingestion.landing import LandingError
from ..quality.report import report_path
from ..settings import SettingError, Settings, pseudonym_key
from . import recovery
from .console import root_cause
from .instance import instance_for


def run_config(full_refresh: bool = False, log_file: Path | None = None) -> dict:
    """The pipeline job's run config (the same keys as in the UI's launchpad)."""
    config: dict = {"resources": {"run_options": {"config": {"full_refresh": full_refresh}}}}
    if log_file is not None:
        config["loggers"] = {"console": {"config": {"log_file": str(log_file)}}}
    return config


def _stage(step_key: str) -> str:
    if step_key == "raw__delivery":
        return "acceptance"
    if step_key.startswith("raw__"):
        return "ingestion"
    if step_key.startswith("gx_"):
        return "quality checks (GX)"
    if step_key.startswith("published"):
        return "publication"
    return "transformations and tests (dbt)"


def summary(result: ExecuteInProcessResult, instance: DagsterInstance) -> tuple[bool, list[str]]:
    """Whether the run succeeded, and its closing summary: one line per stage with its time and
    rows on success; on failure, each failed step and check with its reason."""
    events = result.all_events
    failed_checks = [
        e.asset_check_evaluation_data
        for e in events
        if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION
        and not e.asset_check_evaluation_data.passed
    ]
    failed_steps = [e for e in events if e.event_type == DagsterEventType.STEP_FAILURE]
    ok = result.success and not any(c.blocking for c in failed_checks)
    lines = []
    if ok:
        seconds: dict[str, float] = {}
        for stats in instance.get_run_step_stats(result.run_id):
            if stats.end_time and stats.start_time:
                stage = _stage(stats.step_key)
                seconds[stage] = seconds.get(stage, 0.0) + stats.end_time - stats.start_time
        rows: dict[str, int] = {}
        checks: dict[str, int] = {}
        for e in events:
            if e.event_type == DagsterEventType.ASSET_MATERIALIZATION:
                count = e.step_materialization_data.materialization.metadata.get("dagster/row_count")
                if count is not None and e.step_key != "raw__delivery":
                    rows[_stage(e.step_key)] = rows.get(_stage(e.step_key), 0) + int(count.value)
            elif e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
                checks[_stage(e.step_key)] = checks.get(_stage(e.step_key), 0) + 1
        for stage, secs in seconds.items():
            figures = [f"{rows[stage]:,} rows"] if stage in rows else []
            figures += [f"{checks[stage]} checks passed"] if stage in checks else []
            lines.append(f"  {stage:<32} {secs:6.1f} s" + (f"  {', '.join(figures)}" if figures else ""))
    for check in failed_checks:
        blocking = "blocking" if check.blocking else "warning"
        lines.append(
            f"check failed ({blocking}): {check.check_name} on {check.asset_key.to_user_string()}"
            + (f" - {check.description}" if check.description else "")
        )
    for event in failed_steps:
        if event.step_key.startswith("gx_") and failed_checks:
            continue  # said above, check by check
        error = event.step_failure_data.error
        reason = root_cause(error).splitlines() if error else ["unknown error"]
        more = " (more in the log file)" if len(reason) > 1 else ""
        lines.append(f"step failed ({_stage(event.step_key)}): {event.step_key}: {reason[0]}{more}")
    return ok, lines


def run_job(
    instance: DagsterInstance | None = None,
    full_refresh: bool = False,
    log_file: Path | None = None,
    report: Path | None = None,
) -> bool:
    """Execute the pipeline job in this process, print its closing summary; True when it succeeded."""
    from .definitions import PIPELINE_JOB, defs

    if instance is None:
        instance = instance_for(Settings.from_env())
    for run_id in recovery.fail_dead_runs(instance):
        print(f"run {run_id} had died without ending (killed?); marked failed")
    job = defs.resolve_job_def(PIPELINE_JOB)
    result = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config=run_config(full_refresh, log_file),
        tags=recovery.process_tags(),
    )
    ok, lines = summary(result, instance)
    print(f"pipeline run {result.run_id}: {'succeeded' if ok else 'FAILED'}")
    for line in lines:
        print(line, file=sys.stdout if ok else sys.stderr)
    if not ok and report is not None and any(line.startswith("check failed") for line in lines):
        print(f"the gate's report (observed values, thresholds, every suite): {report}", file=sys.stderr)
    if not ok and log_file is not None:
        print(f"the whole log, with every trace: {log_file}", file=sys.stderr)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--force", action="store_true", help="run even when the published file holds the newest delivery"
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="reload every file and rebuild everything: after a change of the pseudonym key, or to "
        "publish an older delivery on purpose",
    )
    args = parser.parse_args(argv)
    try:
        pseudonym_key()
        settings = Settings.from_env()
        reason = None
        if not (args.force or args.full_refresh):
            reason = up_to_date(settings.landing_dir, settings.published)
    except (SettingError, LandingError, PublishedFileUnreadable) as exc:
        print(f"refusing to start: {exc}", file=sys.stderr)
        return 2
    if reason:
        print(f"nothing to do: {reason} (--force runs anyway)")
        return 0
    log_file = settings.log_dir / f"pipeline-{time.strftime('%Y%m%d-%H%M%S')}.log"
    report = report_path(settings.quality_docs_dir)
    return 0 if run_job(full_refresh=args.full_refresh, log_file=log_file, report=report) else 1


if __name__ == "__main__":
    sys.exit(main())
