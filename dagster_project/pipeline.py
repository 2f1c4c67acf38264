"""`make pipeline`: run every asset over the landing folder, in process.

Exits non-zero when the run failed or a blocking check failed, saying which.
"""

from __future__ import annotations

import argparse
import os
import sys

from dagster import DagsterEventType, DagsterInstance

from .freshness import up_to_date
from .ingestion.acceptance import PublishedFileUnreadable
from .ingestion.landing import LandingError
from .settings import SettingError, Settings, pseudonym_key


def run_config(full_refresh: bool = False) -> dict:
    """The pipeline job's run config (the same keys as in the UI's launchpad)."""
    return {"resources": {"run_options": {"config": {"full_refresh": full_refresh}}}}


def run_pipeline(instance: DagsterInstance | None = None, full_refresh: bool = False) -> bool:
    """Execute the pipeline job in this process; True when everything succeeded."""
    from .definitions import PIPELINE_JOB, defs

    if instance is None:
        instance = DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()
    job = defs.resolve_job_def(PIPELINE_JOB)
    result = job.execute_in_process(
        instance=instance, raise_on_error=False, run_config=run_config(full_refresh)
    )
    failed_checks = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION
        and not e.asset_check_evaluation_data.passed
    ]
    for check in failed_checks:
        blocking = "blocking" if check.blocking else "warning"
        print(
            f"check failed ({blocking}): {check.check_name} on {check.asset_key.to_user_string()}"
            + (f" - {check.description}" if check.description else ""),
            file=sys.stderr,
        )
    for event in result.all_events:
        if event.event_type == DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            message = error.message.strip() if error else "unknown error"
            print(f"step failed: {event.step_key}: {message}", file=sys.stderr)
    ok = result.success and not any(c.blocking for c in failed_checks)
    print(f"pipeline run {result.run_id}: {'succeeded' if ok else 'FAILED'}")
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
    return 0 if run_pipeline(full_refresh=args.full_refresh) else 1


if __name__ == "__main__":
    sys.exit(main())
