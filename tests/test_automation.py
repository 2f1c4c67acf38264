"""The Definitions, the nightly schedule, the delivery sensor and the run queue settings."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest
import yaml
from dagster import (
    DagsterEvent,
    DagsterEventType,
    DagsterInstance,
    RunRequest,
    SensorDefinition,
    build_schedule_context,
    build_sensor_context,
)

from dagster_project.defs.assets.transformation import prune_invocations
from dagster_project.defs.dbt_project import doorstroom_dbt
from dagster_project.defs.definitions import PIPELINE_JOB, WAREHOUSE_WRITER_TAG, build_definitions, defs
from dagster_project.defs.resources import resources_from
from dagster_project.ingestion.landing import parse_file_name, sha256_of
from dagster_project.quality.expectations import load_suites
from dagster_project.settings import PROJECT_ROOT

from .pipeline_support import settings_for, tiny_files, write_delivery


def test_definitions_load_with_every_layer_and_check():
    graph = defs.resolve_asset_graph()
    groups = {graph.get(k).group_name for k in graph.get_all_asset_keys()}
    assert {"raw", "staging", "intermediate", "marts", "reference", "published"} <= groups
    checks = {k.name for k in graph.asset_check_keys}
    assert {"gx_raw_loads", "gx_wop_transitions", "gx_transitions_by_province"} <= checks
    # Every dbt data test and every GX suite is a check; none is lost or invented.
    manifest = json.loads(doorstroom_dbt.manifest_path.read_text())
    dbt_tests = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test"}
    assert checks == dbt_tests | {f"gx_{suite.name}" for suite in load_suites()}
    job = defs.resolve_job_def(PIPELINE_JOB)
    assert job.executor_def.name == "in_process"
    assert job.tags[WAREHOUSE_WRITER_TAG] == "writer"


def _publish_stub(published: Path, files: dict[str, Path]) -> None:
    """A published file whose publication row lists ``files`` (as the publication asset writes it)."""
    published.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(published))
    con.execute(
        "create table publication as select date '2025-06-30' as data_cutoff, "
        "?::struct(extract varchar, file_name varchar, extraction_date date, checksum_sha256 varchar, "
        "rows_loaded bigint)[] as input_files",
        [
            [
                {
                    "extract": e,
                    "file_name": p.name,
                    "extraction_date": parse_file_name(p).extraction_date,
                    "checksum_sha256": sha256_of(p),
                    "rows_loaded": 1,
                }
                for e, p in files.items()
            ]
        ],
    )
    con.close()


def test_nightly_schedule_at_two_in_brussels_skips_when_nothing_is_new(tmp_path: Path):
    assert defs.resolve_schedule_def("nightly_pipeline").cron_schedule == "0 2 * * *"
    landing = tmp_path / "landing"
    settings = settings_for(tmp_path, landing)
    schedule = build_definitions(settings).resolve_schedule_def("nightly_pipeline")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/Brussels"
    assert schedule.default_status.value == "RUNNING"
    assert schedule.job_name == PIPELINE_JOB

    def tick():
        with (
            DagsterInstance.local_temp() as instance,  # a schedule context needs a persistent one
            build_schedule_context(
                instance=instance,
                scheduled_execution_time=dt.datetime(2026, 3, 29, 2, 0),
                resources=resources_from(settings, {}),
            ) as context,
        ):
            return schedule.evaluate_tick(context)

    write_delivery(landing, "20250630", tiny_files())
    assert len(tick().run_requests) == 1  # nothing published yet
    files = {name: landing / f"{name}_20250630.csv" for name in tiny_files()}
    _publish_stub(settings.published, files)
    result = tick()
    assert not result.run_requests and "nothing to do" in result.skip_message
    write_delivery(landing, "20250731", tiny_files())  # a new delivery
    assert len(tick().run_requests) == 1


class _Sensor(NamedTuple):
    sensor: SensorDefinition
    resources: dict


def _tick(sensor: _Sensor, cursor: str | None) -> tuple[list[RunRequest], str | None, str | None]:
    """One tick of the sensor, with the same resources as the assets (landing and published)."""
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance, cursor=cursor, resources=sensor.resources)
        sensor = sensor.sensor
        result = sensor.evaluate_tick(context)
    skip = result.skip_message
    return list(result.run_requests or []), result.cursor, skip


@pytest.fixture
def sensor_and_landing(tmp_path: Path):
    landing = tmp_path / "landing"
    landing.mkdir()
    settings = settings_for(tmp_path, landing)
    sensor = build_definitions(settings).resolve_sensor_def("new_delivery")
    return _Sensor(sensor, resources_from(settings, {})), landing


def test_sensor_launches_one_run_for_a_complete_delivery_only(sensor_and_landing):
    sensor, landing = sensor_and_landing
    assert sensor.sensor.default_status.value == "RUNNING"
    files = tiny_files()
    # A partial delivery (three of four extracts): nothing.
    write_delivery(landing, "20250630", {k: v for k, v in files.items() if k != "evaluatie"})
    requests, cursor, skip = _tick(sensor, None)
    assert requests == [] and "no complete new delivery" in skip
    # Complete: exactly one run, keyed by the delivery.
    write_delivery(landing, "20250630", {"evaluatie": files["evaluatie"]})
    requests, cursor, _ = _tick(sensor, None)
    assert [r.run_key for r in requests] == ["delivery-20250630"] and cursor == "20250630"
    # Already processed: nothing.
    requests, cursor2, skip = _tick(sensor, cursor)
    assert requests == [] and cursor2 in (None, cursor) and "20250630" in skip
    # A new partial delivery waits; once complete, one run for it.
    write_delivery(landing, "20250731", {"wop": files["wop"]})
    assert _tick(sensor, cursor)[0] == []
    write_delivery(landing, "20250731", {k: v for k, v in files.items() if k != "wop"})
    requests, cursor, _ = _tick(sensor, cursor)
    assert [r.run_key for r in requests] == ["delivery-20250731"] and cursor == "20250731"


def test_sensor_skips_a_delivery_the_published_file_already_holds(tmp_path: Path):
    """Issue 12: `make ui` after `make demo` ran the same delivery a second time."""
    landing = tmp_path / "landing"
    settings = settings_for(tmp_path, landing)
    sensor = _Sensor(
        build_definitions(settings).resolve_sensor_def("new_delivery"), resources_from(settings, {})
    )
    write_delivery(landing, "20250630", tiny_files())
    _publish_stub(settings.published, {name: landing / f"{name}_20250630.csv" for name in tiny_files()})
    requests, cursor, skip = _tick(sensor, None)
    assert requests == [] and skip.startswith("nothing to do: the published file already holds")
    assert cursor == "20250630"  # remembered: not judged again at the next tick
    write_delivery(landing, "20250731", tiny_files())
    requests, _, _ = _tick(sensor, cursor)
    assert [r.run_key for r in requests] == ["delivery-20250731"]


def test_run_queue_allows_one_warehouse_writer_and_retries_crashes(tmp_path: Path):
    config = yaml.safe_load((PROJECT_ROOT / "dagster_project" / "defs" / "dagster.yaml").read_text())
    assert config["telemetry"] == {"enabled": False}
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(config))
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
        assert {"key": WAREHOUSE_WRITER_TAG, "limit": 1} in limits
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 2
        assert instance.run_monitoring_enabled and instance.run_monitoring_start_timeout_seconds == 180


def test_only_the_newest_dbt_run_folders_are_kept(tmp_path: Path) -> None:
    for night in range(1, 13):  # one per-run target folder a night; night 12 is the newest
        folder = tmp_path / f"doorstroom_dbt_assets-run{night:02d}-abc"
        folder.mkdir()
        os.utime(folder, (night * 86400, night * 86400))
    (tmp_path / "partial_parse.msgpack").write_bytes(b"")  # not a run folder: kept
    prune_invocations(tmp_path, keep=10)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left[0] == "doorstroom_dbt_assets-run03-abc" and len(left) == 11
    assert "partial_parse.msgpack" in left


def test_dbt_cli_skips_what_dagster_dbt_would_start_for_each_run():
    """DbtCli overrides two private members of dagster-dbt, guarded by its version: this test
    fails loudly on an upgrade, so that someone checks the two members again."""
    import inspect
    from importlib.metadata import version

    from dagster_dbt import DbtCliResource

    from dagster_project.defs.dbt_cli import GUARDED_VERSION, PRIVATE_MEMBERS, DbtCli, guard_holds
    from dagster_project.defs.dbt_project import DBT_EXECUTABLE

    assert version("dagster-dbt").startswith(GUARDED_VERSION + "."), (
        f"dagster-dbt is {version('dagster-dbt')}, the overrides in dagster_project/defs/dbt_cli.py "
        f"were written for {GUARDED_VERSION}: check {PRIVATE_MEMBERS} in DbtCliResource.cli, then "
        "update GUARDED_VERSION (until then DbtCli is the plain resource)"
    )
    for member in PRIVATE_MEMBERS:
        assert member in vars(DbtCliResource), f"dagster-dbt no longer has {member}"
    # The adapter is only created for the two helpers doorstroom does not use.
    assert "self._initialize_dbt_core_adapter(args)" in inspect.getsource(DbtCliResource.cli)
    assert guard_holds() and DbtCli is not DbtCliResource
    dbt = DbtCli(project_dir=str(PROJECT_ROOT), dbt_executable=DBT_EXECUTABLE)
    assert str(dbt._cli_version) == version("dbt-core")
    assert dbt._initialize_dbt_core_adapter(["build"]) is None


def test_the_tests_write_only_to_temporary_folders():
    """Issue 12: `make test` wrote dbt run folders into the operator's data/ folder."""
    from dagster_project.defs.dbt_project import doorstroom_dbt

    from .conftest import TEST_ROOT

    assert not TEST_ROOT.is_relative_to(PROJECT_ROOT)
    assert Path(doorstroom_dbt.target_path).is_relative_to(TEST_ROOT)
    for name in ("DBT_TARGET_PATH", "DBT_LOG_PATH", "DAGSTER_HOME"):
        assert Path(os.environ[name]).is_relative_to(TEST_ROOT), name


def test_a_dead_run_is_told_from_a_live_one_by_pid_and_start_time():
    """A writer run is failed when its process is gone, or when its PID now names another
    process (PIDs are reused); a run of a live process is left alone."""
    from dagster import DagsterRunStatus

    from dagster_project.defs.recovery import PROCESS_START_TAG, fail_dead_runs, process_tags

    gone = subprocess.Popen(["true"])
    gone.wait()
    with DagsterInstance.ephemeral() as instance:
        job = defs.resolve_job_def(PIPELINE_JOB)

        def started(tags: dict[str, str]) -> str:
            run = instance.create_run_for_job(job, tags={WAREHOUSE_WRITER_TAG: "writer", **tags})
            instance.handle_run_event(
                run.run_id,
                DagsterEvent(DagsterEventType.RUN_START.value, job_name=job.name, message="started"),
            )
            return run.run_id

        live = started(process_tags())
        dead = started({**process_tags(), "doorstroom/pid": str(gone.pid)})
        reused = started({**process_tags(), PROCESS_START_TAG: "1"})
        assert sorted(fail_dead_runs(instance)) == sorted([dead, reused])
        assert instance.get_run_by_id(live).status == DagsterRunStatus.STARTED
        assert instance.get_run_by_id(dead).status == DagsterRunStatus.FAILURE
