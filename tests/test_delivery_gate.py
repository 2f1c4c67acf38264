"""The gate against bad deliveries and careless settings (issue 11), on the real pipeline.

The runs build on each other, in file order, on one landing folder, warehouse and
published file (in a folder named ``d'Hondt``: the path is never pasted into SQL):

1. 20250630, ten employment lines: published.
2. 20250701, the employment extract 30 % smaller: refused by the volume check.
3. the same files again as 20250702: still refused (the baseline is the last
   *publication*, not the rejected load).
4. a delivery dated 20350701: refused by the acceptance; it shadows nothing.
5. a misnamed WOP file beside a new delivery: refused, not skipped.
6. a correct delivery under another key: refused; with a full refresh: published, every
   person_id changed, the ignored file listed in the publication record.
7. the landing folder back at an older delivery: refused (the cutoff never moves back).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingestion.pseudonym import key_fingerprint, pseudonym
from dagster_project.publication import read_publication
from dagster_project.settings import Settings

from .conftest import KEY
from .pipeline_support import REGULAR, A, B, C, run_in_process, tiny_files, write_delivery

NEW_KEY = b"another-key-of-at-least-thirty-two-characters"


def _files(employment_lines: int = 10) -> dict[str, list[str]]:
    files = tiny_files()
    # C (outside the cohort) works at a regular employer quarter after quarter.
    quarters = [
        f"{C};{REGULAR};47.111;{year}-{month:02d}-01;{year}-{month + 2:02d}-28"
        for year, month in [(2019 + q // 4, 3 * (q % 4) + 1) for q in range(7)]
    ]
    files["tewerkstelling"] = [*files["tewerkstelling"], *quarters][: employment_lines + 1]
    return files


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("delivery_gate")
    landing = tmp / "landing"
    write_delivery(landing, "20250630", _files())
    settings = Settings.from_env(
        {
            "DOORSTROOM_LANDING_DIR": str(landing),
            "DOORSTROOM_WAREHOUSE": str(tmp / "warehouse.duckdb"),
            "DOORSTROOM_PUBLISHED": str(tmp / "d'Hondt" / "doorstroom.duckdb"),
            "DOORSTROOM_TEMP_DIR": str(tmp / "duckdb_tmp"),
        }
    )
    return {"tmp": tmp, "landing": landing, "settings": settings}


def _run(gate: dict, key: bytes = KEY, full_refresh: bool = False):
    return run_in_process(gate["settings"], key, full_refresh=full_refresh)


def _failure(result) -> str:
    """Every step failure's message, and the failed checks' descriptions, in one text."""
    texts = [e.step_failure_data.error.message for e in result.all_events if e.is_step_failure]
    texts += [c.description or "" for c in result.get_asset_check_evaluations() if not c.passed]
    return "\n".join(texts)


def _clear(landing: Path, date: str) -> None:
    for path in landing.glob(f"*_{date}.csv"):
        path.unlink()


def test_1_first_delivery_is_published_into_a_folder_with_an_apostrophe(gate):
    result = _run(gate)
    assert result.success, _failure(result)
    published = gate["settings"].published
    assert published.parent.name == "d'Hondt"
    publication = read_publication(published)
    assert publication["key_fingerprint"] == key_fingerprint(KEY)
    assert [f["rows_loaded"] for f in publication["input_files"] if f["extract"] == "tewerkstelling"] == [10]
    gate["sha"] = _sha(published)


def test_2_an_extract_30_percent_smaller_is_refused(gate):
    write_delivery(gate["landing"], "20250701", _files(employment_lines=7))
    result = _run(gate)
    assert not result.success
    message = _failure(result)
    assert "expect_column_values_to_be_between(volume_ratio_to_published) observed 1 unexpected value" in (
        message
    ), message
    assert _sha(gate["settings"].published) == gate["sha"]


def test_3_the_same_bad_file_delivered_again_is_refused_again(gate):
    """Hole 1: the check compared with the previous (rejected) load and let this through."""
    for path in gate["landing"].glob("*_20250701.csv"):
        path.rename(path.with_name(path.name.replace("20250701", "20250702")))
    result = _run(gate)
    assert not result.success
    assert "volume_ratio_to_published" in _failure(result)
    assert _sha(gate["settings"].published) == gate["sha"]
    con = duckdb.connect(str(gate["settings"].warehouse), read_only=True)
    ratio = con.execute(
        "select rows_loaded from raw.published_files where extract = 'tewerkstelling'"
    ).fetchone()
    con.close()
    assert ratio == (10,)
    _clear(gate["landing"], "20250702")


def test_4_a_delivery_from_the_future_is_refused_and_shadows_nothing(gate):
    """Hole 2: dated 2035 it was published, and then answered every real delivery with
    'nothing to do'."""
    write_delivery(gate["landing"], "20350701", _files())
    result = _run(gate)
    assert not result.success
    message = _failure(result)
    assert "delivery refused, nothing loaded: evaluatie_20350701.csv: extraction date 2035-07-01" in message
    assert "lies in the future" in message
    assert _sha(gate["settings"].published) == gate["sha"]
    # Nothing was loaded: the acceptance stops the run before any ingestion.
    steps = {e.step_key for e in result.all_events if e.is_successful_output}
    assert not any(s.startswith("raw__wop") for s in steps)
    _clear(gate["landing"], "20350701")


def test_5_a_misnamed_file_refuses_the_delivery_instead_of_publishing_a_stale_extract(gate):
    files = _files()
    write_delivery(gate["landing"], "20250801", {k: v for k, v in files.items() if k != "wop"})
    (gate["landing"] / "WOP_20250801.csv").write_text("\n".join(files["wop"]) + "\n")
    (gate["landing"] / "LEESMIJ.txt").write_text("levering van augustus\n")
    result = _run(gate)
    assert not result.success
    assert "WOP_20250801.csv: not a valid extract file name" in _failure(result)
    assert _sha(gate["settings"].published) == gate["sha"]
    (gate["landing"] / "WOP_20250801.csv").rename(gate["landing"] / "wop_20250801.csv")


def test_6_a_changed_key_is_refused_then_rebuilt_on_purpose(gate):
    """Hole 8: a changed key re-pseudonymised everything without a word."""
    refused = _run(gate, key=NEW_KEY)
    assert not refused.success
    assert "DOORSTROOM_PSEUDONYM_KEY is not the key the published file was built with" in _failure(refused)
    assert _sha(gate["settings"].published) == gate["sha"]

    rebuilt = _run(gate, key=NEW_KEY, full_refresh=True)
    assert rebuilt.success, _failure(rebuilt)
    publication = read_publication(gate["settings"].published)
    assert publication["key_fingerprint"] == key_fingerprint(NEW_KEY)
    assert publication["data_cutoff"] == "2025-08-01"
    listed = {f["file_name"]: (f["status"], f["reason"]) for f in publication["landing_files"]}
    assert listed["LEESMIJ.txt"][0] == "ignored"
    assert listed["wop_20250801.csv"] == ("current", "the newest file of its extract")
    assert listed["wop_20250630.csv"] == ("superseded", "older than wop_20250801.csv")
    con = duckdb.connect(str(gate["settings"].published), read_only=True)
    people = {r[0] for r in con.execute("select person_id from wop_transitions").fetchall()}
    con.close()
    assert people == {pseudonym(A, NEW_KEY), pseudonym(B, NEW_KEY)}
    gate["sha"] = _sha(gate["settings"].published)


def test_7_the_cutoff_never_moves_backwards(gate):
    moved = gate["tmp"] / "moved"
    moved.mkdir()
    for path in gate["landing"].glob("*_20250801.csv"):
        shutil.move(path, moved / path.name)
    result = _run(gate, key=NEW_KEY)
    assert not result.success
    assert "wop_20250630.csv is older than wop_20250801.csv, from which the published file was made" in (
        _failure(result)
    )
    assert _sha(gate["settings"].published) == gate["sha"]
