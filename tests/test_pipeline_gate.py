"""The pipeline on tiny hand-made deliveries: hand-computed marts, the quality gate and the
atomic publication (a failing check, a SIGKILL during publication, a concurrent reader).

The runs build on each other, in file order: A (good) publishes; B (breaks a blocking
expectation) must fail and leave the published file byte-identical; D is killed while
publishing, with a reader process reading the published file all along; E reruns and
publishes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from dagster import AssetSelection, DagsterInstance, Definitions, define_asset_job

from dagster_project.defs.assets.quality import suite_check_key
from dagster_project.defs.assets.transformation import manifest
from dagster_project.defs.definitions import build_definitions, defs
from dagster_project.ingestion.pseudonym import pseudonym
from dagster_project.publication import published_tables, read_publication
from dagster_project.publication.publish import INPUT_FILES, STORAGE_VERSION
from dagster_project.quality.expectations import load_suites
from dagster_project.settings import PROJECT_ROOT

from .conftest import KEY, dagster_home
from .pipeline_support import (
    REGULAR,
    A,
    B,
    cli_environment,
    published_comments,
    run_in_process,
    settings_for,
    tiny_files,
    write_delivery,
)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("gate")
    landing = tmp / "landing"
    write_delivery(landing, "20250630", tiny_files())
    settings = settings_for(tmp, landing)
    home = dagster_home(tmp)
    process_env = cli_environment(settings, home, KEY)
    return {"tmp": tmp, "landing": landing, "settings": settings, "env": process_env, "home": home}


@pytest.fixture(scope="module")
def tiny_run(env):
    with DagsterInstance.local_temp(tempdir=str(env["home"])) as instance:
        result = run_in_process(env["settings"], KEY, instance=instance)
    env["sha_a"] = _sha(env["settings"].published)
    return result, env["settings"]


def _pipeline_cli(env: dict, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dagster_project.defs.pipeline"],
        cwd=PROJECT_ROOT,
        env={**env["env"], **extra},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_pipeline_succeeds_with_every_check(tiny_run):
    result, _ = tiny_run
    assert result.success
    checks = result.get_asset_check_evaluations()
    # Every check of the Definitions (dbt data tests and GX suites) was evaluated in the run.
    assert {c.asset_check_key for c in checks} == set(defs.resolve_asset_graph().asset_check_keys)
    assert [c.check_name for c in checks if not c.passed] == []


def test_one_gx_check_runs_alone(tiny_run):
    """The GX steps are subsettable: a run of one check (as from the UI) validates that suite only."""
    _, settings = tiny_run
    suite = next(s for s in load_suites() if s.name == "wop_transitions")
    job = define_asset_job("one_gx_check", selection=AssetSelection.checks(suite_check_key(suite)))
    merged = Definitions.merge(build_definitions(settings), Definitions(jobs=[job]))
    result = merged.resolve_job_def("one_gx_check").execute_in_process(instance=DagsterInstance.ephemeral())
    assert [(e.check_name, e.passed) for e in result.get_asset_check_evaluations()] == [
        ("gx_wop_transitions", True)
    ]


def test_wop_transitions_hand_computed(tiny_run):
    _, settings = tiny_run
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    rows = con.execute(
        """
        select wop_id, person_id, cohort_year, province, end_date::varchar, has_transition,
               transition_date::varchar, transition_employer_kbo, nace_section, follow_up_complete
        from marts.wop_transitions order by wop_id
        """
    ).fetchall()
    con.close()
    assert rows == [
        ("W1", pseudonym(A, KEY), 2020, "Antwerpen", "2020-06-30", True, "2020-09-01", REGULAR, "G", True),
        ("W2", pseudonym(B, KEY), 2020, "West-Vlaanderen", "2020-12-31", False, None, None, None, True),
    ]


def test_dense_facts(tiny_run):
    _, settings = tiny_run
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    by_province = con.execute(
        "select province, closed_wops, transitions from marts.transitions_by_province order by all"
    ).fetchall()
    n_sector = con.execute("select count(*) from marts.transitions_by_sector").fetchone()[0]
    con.close()
    assert len(by_province) == 8  # one cohort year x every province value
    assert ("Antwerpen", 1, 1) in by_province and ("West-Vlaanderen", 1, 0) in by_province
    assert n_sector == 8 * 22  # sections A-U and '?'


def test_raw_insz_never_in_warehouse(tiny_run):
    _, settings = tiny_run
    data = Path(settings.warehouse).read_bytes()
    for number in (A, B):
        assert number.encode() not in data


# ------------------------------------------------------------------ publication and gate


def test_good_run_publishes_part_c_and_the_publication_row(tiny_run, env):
    result, settings = tiny_run
    publication = read_publication(settings.published)
    assert publication["data_cutoff"] == "2025-06-30"
    assert publication["run_id"] == result.run_id
    files = {f["file_name"]: f["checksum_sha256"] for f in publication["input_files"]}
    assert files == {p.name: _sha(p) for p in env["landing"].glob("*.csv")}
    checks = publication["checks_passed"]
    assert (
        len(checks)
        == len(result.get_asset_check_evaluations())
        == len(defs.resolve_asset_graph().asset_check_keys)
    )
    assert "marts/wop_transitions:gx_wop_transitions" in checks
    con = duckdb.connect(str(settings.published), read_only=True)
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    types = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_name = 'transitions_by_province' order by ordinal_position"
    ).fetchall()
    first = con.execute("select province from transitions_by_province limit 2").fetchall()
    con.close()
    assert {
        "transitions_by_province",
        "transitions_by_sector",
        "returns_by_province",
        "wop_transitions",
        "publication",
    } <= tables
    assert types == [
        ("cohort_year", "INTEGER"),
        ("province", "VARCHAR"),
        ("closed_wops", "BIGINT"),
        ("transitions", "BIGINT"),
        ("follow_up_complete", "BOOLEAN"),
    ]
    assert first == [("Antwerpen",), ("Limburg",)]  # the contract's province order


def test_published_file_opens_in_duckdb_cli_1_5(tiny_run):
    _, settings = tiny_run
    cli = Path(sys.executable).with_name("duckdb")  # the duckdb-cli package from PyPI (dev group)
    version = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1.5"), version
    out = subprocess.run(
        [
            cli,
            "-readonly",
            "-csv",
            str(settings.published),
            "-c",
            "select sum(transitions) from transitions_by_province; select data_cutoff from publication",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["sum(transitions)", "1", "data_cutoff", "2025-06-30"]
    assert STORAGE_VERSION.startswith("v1.")


def test_published_file_describes_itself(tiny_run):
    """Every table and every column carries a comment: dbt's descriptions for the published
    models and seeds, publish.py's own texts for the publication record and its input files."""
    _, settings = tiny_run
    published = published_tables(manifest())
    tables, columns = published_comments(settings.published)
    assert set(tables) == {t.name for t in published} | {"publication", INPUT_FILES}
    assert [t for t, comment in tables.items() if not comment] == []
    assert tables["transitions_by_province"].startswith("Published fact (contract part C, Q1)")
    assert "\n" not in tables["transitions_by_province"]  # YAML's folded lines joined
    for key in [
        ("transitions_by_province", "transitions"),
        ("transitions_by_province", "province"),
        ("transitions_by_sector", "nace_section"),
        ("wop_transitions", "person_id"),
        ("provinces", "sort_order"),
        ("publication", "data_cutoff"),
        (INPUT_FILES, "checksum_sha256"),
    ]:
        assert columns[key], key
    assert columns[("wop_transitions", "person_id")] == "Pseudonym (HMAC-SHA256) of the person's INSZ."
    assert [key for key, comment in columns.items() if not comment] == []  # every column described


def test_publication_input_files_one_row_per_current_file(tiny_run, env):
    _, settings = tiny_run
    con = duckdb.connect(str(settings.published), read_only=True)
    files = con.execute(f"select * from {INPUT_FILES} order by extract").fetchall()
    names = [d[0] for d in con.description]
    publication_columns = [d[0] for d in con.execute("select * from publication").description]
    con.close()
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    loads = con.execute(
        f"select {', '.join(names)} from raw.loads where is_current order by extract"
    ).fetchall()
    con.close()
    assert names == [
        "extract",
        "file_name",
        "extraction_date",
        "checksum_sha256",
        "rows_read",
        "rows_loaded",
        "rows_quarantined",
        "exact_duplicates",
    ]
    assert files == loads
    assert sorted(f[1] for f in files) == sorted(p.name for p in env["landing"].glob("*.csv"))
    assert publication_columns == [
        "published_at",
        "data_cutoff",
        "input_files",  # each file's name and checksum only (contract part C)
        "checks_passed",
        "run_id",
        "key_fingerprint",
        "landing_files",
    ]


def test_the_cli_lists_a_description_for_every_published_table(tiny_run):
    _, settings = tiny_run
    cli = Path(sys.executable).with_name("duckdb")
    out = subprocess.run(
        [
            cli,
            "-readonly",
            "-csv",
            str(settings.published),
            "-c",
            "select table_name, comment from duckdb_tables()",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["table_name"] for r in rows} >= {t.name for t in published_tables(manifest())}
    assert [r["table_name"] for r in rows if not r["comment"]] == []


def test_blocking_expectation_fails_the_run_and_keeps_the_file(tiny_run, env):
    """B passes row validation, but half of its cohort WOPs lie in 'Onbekend' (> 10%)."""
    write_delivery(env["landing"], "20250731", tiny_files(residence_of_b=False))
    before = _sha(env["settings"].published)
    run = _pipeline_cli(env)
    stdout, stderr = run.communicate(timeout=900)
    assert run.returncode == 1, stdout[-2000:] + stderr[-2000:]
    assert "check failed (blocking): gx_wop_transitions on marts/wop_transitions" in stderr
    assert "onbekend_share_of_all_cohort_wops) observed 0.5 against max_value=0.1" in stderr
    assert "FAILED" in stdout
    assert _sha(env["settings"].published) == before == env["sha_a"]
    con = duckdb.connect(str(env["settings"].warehouse), read_only=True)
    quarantined = con.execute("select sum(rows_quarantined) from raw.loads where is_current").fetchone()[0]
    con.close()
    assert quarantined == 0  # every row of B was valid


READER = """
import json, sys, time, duckdb
path, stop = sys.argv[1], sys.argv[2]
import os
while not os.path.exists(stop):
    try:
        con = duckdb.connect(path, read_only=True)
        run_id = con.execute("select run_id from publication").fetchone()[0]
        closed = con.execute("select sum(closed_wops) from transitions_by_province").fetchone()[0]
        wops = con.execute("select count(*) from wop_transitions").fetchone()[0]
        cutoff = str(con.execute("select data_cutoff from publication").fetchone()[0])
        con.close()
        print(json.dumps({"run_id": run_id, "whole": closed == wops, "cutoff": cutoff}), flush=True)
    except Exception as exc:
        print(json.dumps({"error": repr(exc)}), flush=True)
    time.sleep(0.02)
"""


def test_sigkill_during_publication_then_rerun_with_a_concurrent_reader(tiny_run, env):
    published = env["settings"].published
    write_delivery(env["landing"], "20250831", tiny_files())
    old_run_id = read_publication(published)["run_id"]
    stop = env["tmp"] / "stop-reader"
    log = (env["tmp"] / "reads.jsonl").open("w")  # a file, not a pipe: a full pipe would stall the reader
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published), str(stop)], stdout=log, text=True
    )
    try:
        killed = _pipeline_cli(env, DOORSTROOM_TEST_PAUSE_PUBLICATION="120")
        deadline = time.monotonic() + 900
        while not list(published.parent.glob(f".{published.name}.*.tmp")):
            assert killed.poll() is None, killed.communicate()[1][-2000:]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)  # inside the publication: the first table written, the swap not yet done
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(timeout=60)
        assert killed.returncode == -signal.SIGKILL
        assert _sha(published) == env["sha_a"]  # whole, and still the previous publication

        rerun = _pipeline_cli(env)
        stdout, stderr = rerun.communicate(timeout=900)
        assert rerun.returncode == 0, stdout[-2000:] + stderr[-2000:]
        time.sleep(1)
    finally:
        stop.touch()
        reader.wait(timeout=60)
        log.close()
    reads = [json.loads(line) for line in (env["tmp"] / "reads.jsonl").read_text().splitlines()]
    assert not list(published.parent.glob(f".{published.name}.*.tmp"))  # leftovers removed
    publication = read_publication(published)
    assert publication["data_cutoff"] == "2025-08-31" and publication["run_id"] != old_run_id
    assert len(reads) > 20
    assert [r for r in reads if "error" in r] == []
    assert all(r["whole"] for r in reads)
    assert {r["run_id"] for r in reads} == {old_run_id, publication["run_id"]}
