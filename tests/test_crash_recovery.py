"""Runs that survive crashes and say what went wrong (issue 12), with the real pipeline CLI.

kill -9 at ingestion and during dbt, each followed at once by the next run; a killed run is
failed before the sensor asks for the next one; a published file held read-write by an
analyst; a failed publication leaves no files behind; the console says why, once, and
names each stage's time on success.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter, build_sensor_context

from dagster_project.defs.definitions import build_definitions
from dagster_project.defs.recovery import PID_TAG
from dagster_project.defs.resources import resources_from
from dagster_project.publication import PublishedTable, publish
from dagster_project.settings import PROJECT_ROOT

from .conftest import KEY, dagster_home
from .pipeline_support import cli_environment, settings_for, tiny_files, write_delivery


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("crash")
    landing = tmp / "landing"
    write_delivery(landing, "20250630", tiny_files())
    home = dagster_home(tmp)
    settings = settings_for(tmp, landing)
    env = cli_environment(settings, home, KEY, DOORSTROOM_LOCK_WAIT="2")
    return {"tmp": tmp, "landing": landing, "home": home, "env": env, "settings": settings}


def _start(site: dict, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dagster_project.defs.pipeline", "--force", *args],
        cwd=PROJECT_ROOT,
        env={**site["env"], **extra},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(run: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = run.communicate(timeout=900)
    return run.returncode, stdout, stderr


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(stat.parent.name), cmdline))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _runs(site: dict) -> dict[str, DagsterRunStatus]:
    with DagsterInstance.from_config(str(site["home"])) as instance:
        return {r.run_id: r.status for r in instance.get_runs()}


def test_a_clean_run_names_each_stage_with_its_time(site):
    code, stdout, stderr = _finish(_start(site))
    assert code == 0, stdout[-3000:] + stderr[-3000:]
    lines = stdout.splitlines()
    assert "DEBUG" not in stdout and "Traceback" not in stdout + stderr
    assert len(lines) < 40
    assert "✓ raw__delivery" in stdout
    summary = lines[next(i for i, x in enumerate(lines) if x.startswith("pipeline run ")) + 1 :]
    stages = [re.match(r"^  (\S.*?)\s+(\d+\.\d) s", line) for line in summary]
    assert all(stages), summary
    assert [m[1] for m in stages] == [  # the five stages, in their order
        "acceptance",
        "ingestion",
        "transformations and tests (dbt)",
        "quality checks (GX)",
        "publication",
    ]


def test_kill_9_during_ingestion_then_the_next_run_at_once(site):
    marker = site["tmp"] / "paused"
    run = _start(
        site, "--full-refresh", DOORSTROOM_TEST_PAUSE_INGESTION="120", DOORSTROOM_TEST_PAUSED_FILE=str(marker)
    )
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert run.poll() is None, run.communicate()[1][-3000:]
        assert time.monotonic() < deadline
        time.sleep(0.1)
    os.kill(run.pid, signal.SIGKILL)  # the process alone, as the out-of-memory killer does
    run.wait(timeout=60)
    killed = [rid for rid, status in _runs(site).items() if status == DagsterRunStatus.STARTED]
    assert len(killed) == 1  # the storage still thinks it runs

    code, stdout, stderr = _finish(_start(site))
    assert code == 0, stdout[-3000:] + stderr[-3000:]
    assert f"run {killed[0]} had died without ending (killed?); marked failed" in stdout
    assert _runs(site)[killed[0]] == DagsterRunStatus.FAILURE


def test_kill_9_during_dbt_kills_dbt_too_and_the_next_run_starts_at_once(site):
    run = _start(site)
    deadline = time.monotonic() + 300
    dbt = []
    while not dbt:
        assert run.poll() is None, run.communicate()[1][-3000:]
        assert time.monotonic() < deadline
        dbt = [pid for pid, cmd in _children(run.pid) if " build " in f" {cmd} " and "dbt" in cmd]
        time.sleep(0.05)
    time.sleep(1.0)  # dbt is building, holding the warehouse
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    deadline = time.monotonic() + 10
    while _alive(dbt[0]):
        assert time.monotonic() < deadline, "dbt outlived the pipeline process that started it"
        time.sleep(0.1)

    code, stdout, stderr = _finish(_start(site))
    assert code == 0, stdout[-3000:] + stderr[-3000:]
    assert "Could not set lock" not in stdout + stderr


def test_the_sensor_fails_a_killed_run_before_it_asks_for_the_next(site):
    """The daemon's queue lets one writer run at a time: a killed run left STARTED would keep
    the next one QUEUED for ever. The sensor's tick fails it first."""
    marker = site["tmp"] / "paused-2"
    marker.unlink(missing_ok=True)
    run = _start(
        site, "--full-refresh", DOORSTROOM_TEST_PAUSE_INGESTION="120", DOORSTROOM_TEST_PAUSED_FILE=str(marker)
    )
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert run.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    write_delivery(site["landing"], "20250731", tiny_files())  # a new delivery for the sensor
    sensor = build_definitions(site["settings"]).resolve_sensor_def("new_delivery")
    with DagsterInstance.from_config(str(site["home"])) as instance:
        stuck = instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.STARTED]))
        assert len(stuck) == 1 and stuck[0].dagster_run.tags[PID_TAG] == str(run.pid)
        with build_sensor_context(
            instance=instance, cursor="20250630", resources=resources_from(site["settings"], {})
        ) as context:
            result = sensor.evaluate_tick(context)
        assert [r.run_key for r in result.run_requests] == ["delivery-20250731"]
        assert instance.get_run_by_id(stuck[0].dagster_run.run_id).status == DagsterRunStatus.FAILURE
        # The killed run's process was this one: its own PID is not a live process any more.
        assert not _alive(run.pid)


def test_a_published_file_held_read_write_is_one_clear_line(site):
    published = site["settings"].published
    assert published.exists()
    holder = duckdb.connect(str(published))  # an analyst's session, read-write
    try:
        code, _, stderr = _finish(
            subprocess.Popen(
                [sys.executable, "-m", "dagster_project.defs.pipeline"],
                cwd=PROJECT_ROOT,
                env=site["env"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    finally:
        holder.close()
    assert code == 2
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [
        f"refusing to start: the published file {published} is locked by PID {os.getpid()} "
        + stderr.split(f"PID {os.getpid()} ", 1)[1].strip()
    ]
    assert "waited 2 s" in stderr


def test_a_failed_run_says_why_once_without_a_trace(site):
    (site["landing"] / "wop_20350101.csv").write_text("x\n")
    try:
        code, stdout, stderr = _finish(_start(site))
    finally:
        (site["landing"] / "wop_20350101.csv").unlink()
    assert code == 1
    assert "Traceback" not in stdout + stderr and "DagsterExecutionStepExecutionError" not in stdout + stderr
    reason = (
        "delivery refused, nothing loaded: wop_20350101.csv: extraction date 2035-01-01 lies in the future"
    )
    assert f"step failed (acceptance): raw__delivery: {reason}" in stderr
    assert stdout.count(reason) == 1  # the step's own line; the summary says it once on stderr
    assert "the whole log, with every trace: " in stderr
    log = Path(stderr.split("the whole log, with every trace: ")[1].split()[0])
    assert "in raw_delivery\n    raise Failure(" in log.read_text()  # the trace: in the log file only


def test_a_failed_publication_leaves_no_files_behind(tmp_path):
    warehouse = duckdb.connect(str(tmp_path / "empty.duckdb"))  # no marts: the first table fails
    target = tmp_path / "published" / "doorstroom.duckdb"
    with pytest.raises(duckdb.CatalogException):
        publish(
            warehouse,
            target,
            [PublishedTable("transitions_by_province", "marts.transitions_by_province")],
            [],
            "run",
        )
    warehouse.close()
    assert list(target.parent.iterdir()) == []
