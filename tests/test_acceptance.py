"""Delivery acceptance (issue 11): which landing entries make the delivery, and the judgement
against the last published delivery. Real folders, real symbolic links, real DuckDB files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingestion.acceptance import (
    Baseline,
    PublishedFile,
    read_baseline,
    refusals,
)
from dagster_project.ingestion.landing import FUTURE_TOLERANCE_DAYS, Status, survey

from .conftest import insz

TODAY = dt.date(2026, 12, 2)
FOUR = ("wop", "tewerkstelling", "verblijfplaats", "evaluatie")


def _touch(landing: Path, name: str, text: str = "x\n") -> Path:
    path = landing / name
    path.write_text(text, encoding="utf-8")
    return path


def _delivery(landing: Path, date: str) -> None:
    for extract in FOUR:
        _touch(landing, f"{extract}_{date}.csv")


def _status(landing: Path, run_date: dt.date = TODAY) -> dict[str, tuple[Status, str]]:
    return {e.name: (e.status, e.reason) for e in survey(landing, run_date).entries}


def test_every_entry_is_accounted_for(landing):
    _delivery(landing, "20250630")
    _delivery(landing, "20250930")
    _touch(landing, "LEESMIJ.txt")
    _touch(landing, ".wop_20251231.csv.swp")
    (landing / "archief").mkdir()
    status = _status(landing)
    assert len(status) == 11
    assert status["wop_20250930.csv"][0] is Status.CURRENT
    assert status["wop_20250630.csv"] == (Status.SUPERSEDED, "older than wop_20250930.csv")
    assert status["LEESMIJ.txt"][0] is Status.IGNORED
    assert status[".wop_20251231.csv.swp"] == (Status.IGNORED, "a hidden file")
    assert status["archief"] == (Status.IGNORED, "a folder")
    delivery = survey(landing, TODAY)
    assert delivery.refused == []
    assert {x: f.name for x, f in delivery.current.items()} == {x: f"{x}_20250930.csv" for x in FOUR}


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("wop_20250701.csv\n", "wop_20250701.csv\\n"),  # '$' matched before a final newline
        ("WOP_20250701.csv", "WOP_20250701.csv"),
        ("wop_2025-07-01.csv", "wop_2025-07-01.csv"),
        ("wop_20250701.CSV", "wop_20250701.CSV"),
        (" wop_20250701.csv", " wop_20250701.csv"),
        ("wop_20250701.csv.bak", "wop_20250701.csv.bak"),
        ("werknemers_20250701.csv", "werknemers_20250701.csv"),  # an unknown extract
        ("wop_\t20250701.csv", "wop_\\t20250701.csv"),
    ],
)
def test_a_misnamed_extract_file_refuses_the_delivery(landing, name, shown):
    _delivery(landing, "20250630")
    _touch(landing, name)
    delivery = survey(landing, TODAY)
    assert [(e.name, e.status) for e in delivery.refused] == [(shown, Status.REFUSED)]
    assert "not a valid extract file name (expected <extract>_YYYYMMDD.csv" in delivery.refused[0].reason
    # The stale extract is not silently published beside the others.
    assert refusals(delivery, None, "f", set())[0].startswith(f"{shown}: not a valid extract file name")


def test_an_impossible_date_in_the_name_is_refused(landing):
    _touch(landing, "wop_20250231.csv")
    assert _status(landing)["wop_20250231.csv"] == (Status.REFUSED, "20250231 is not a date (YYYYMMDD)")


def test_a_file_name_holding_an_insz_is_masked_in_every_message(landing):
    person = insz("850730", 33)
    _touch(landing, f"{person}.csv")
    (entry,) = survey(landing, TODAY).entries
    assert entry.status is Status.REFUSED and person not in entry.name and entry.name == "<masked>.csv"


def test_future_extraction_dates_are_refused_beyond_one_day_of_tolerance(landing):
    assert FUTURE_TOLERANCE_DAYS == 1
    _touch(landing, "wop_20261203.csv")  # tomorrow: within the tolerance
    _touch(landing, "tewerkstelling_20261204.csv")  # the day after: refused
    _touch(landing, "verblijfplaats_20350701.csv")
    status = _status(landing)
    assert status["wop_20261203.csv"][0] is Status.CURRENT
    assert status["tewerkstelling_20261204.csv"] == (
        Status.REFUSED,
        "extraction date 2026-12-04 lies in the future (after 2026-12-03: today 2026-12-02 "
        "plus 1 day of tolerance)",
    )
    assert status["verblijfplaats_20350701.csv"][0] is Status.REFUSED
    # A refused future file never shadows the real one: it is not the current file.
    assert "tewerkstelling" not in survey(landing, TODAY).current


def test_symbolic_links_stay_inside_the_landing_folder(tmp_path, landing):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "notes.txt"
    secret.write_text(f"{insz('850730', 33)};personal\n", encoding="utf-8")
    (outside / "wop_20250630.csv").write_text("x\n", encoding="utf-8")
    (landing / "real").mkdir()
    _touch(landing / "real", "evaluatie.csv")
    (landing / "wop_20250630.csv").symlink_to(outside / "wop_20250630.csv")
    (landing / "tewerkstelling_20250630.csv").symlink_to(secret)
    (landing / "verblijfplaats_20250630.csv").symlink_to(landing / "gone.csv")
    (landing / "evaluatie_20250629.csv").symlink_to(landing / "real")
    (landing / "evaluatie_20250630.csv").symlink_to(landing / "real" / "evaluatie.csv")
    status = _status(landing)
    assert status["wop_20250630.csv"] == (Status.REFUSED, "a symbolic link out of the landing folder")
    assert status["tewerkstelling_20250630.csv"] == (
        Status.REFUSED,
        "a symbolic link out of the landing folder",
    )
    assert status["verblijfplaats_20250630.csv"] == (Status.REFUSED, "a symbolic link to nothing")
    assert status["evaluatie_20250629.csv"] == (Status.REFUSED, "not a regular file (a folder?)")
    assert status["evaluatie_20250630.csv"][0] is Status.CURRENT  # a link that stays inside
    assert "personal" not in repr(status)


def test_no_landing_folder_is_one_clear_error(tmp_path):
    from dagster_project.ingestion.landing import LandingError

    with pytest.raises(LandingError, match=r"landing folder .*missing does not exist"):
        survey(tmp_path / "missing", TODAY)


# ------------------------------------------------------------------ against the last publication


def _baseline(date: dt.date, fingerprint: str | None = "k1") -> Baseline:
    files = {x: PublishedFile(x, f"{x}_{date:%Y%m%d}.csv", date, 100, "0" * 64) for x in FOUR}
    return Baseline(date, files, fingerprint)


def test_an_extract_older_than_the_published_one_is_refused(landing):
    _delivery(landing, "20250630")
    delivery = survey(landing, TODAY)
    assert refusals(delivery, _baseline(dt.date(2025, 6, 30)), "k1", {"k1"}) == []
    reasons = refusals(delivery, _baseline(dt.date(2025, 9, 30)), "k1", {"k1"})
    assert len(reasons) == 4
    assert reasons[0].startswith(
        "wop_20250630.csv is older than wop_20250930.csv, from which the published file was made"
    )
    assert refusals(delivery, _baseline(dt.date(2025, 9, 30)), "k1", {"k1"}, full_refresh=True) == []


def test_a_changed_key_is_refused_unless_a_full_refresh_is_asked(landing):
    _delivery(landing, "20250630")
    delivery = survey(landing, TODAY)
    published = _baseline(dt.date(2025, 6, 30), "k1")
    (reason,) = refusals(delivery, published, "k2", set())
    assert "not the key the published file was built with" in reason and "--full-refresh" in reason
    (reason,) = refusals(delivery, None, "k2", {"k1"})
    assert "not the key the warehouse was built with" in reason
    assert refusals(delivery, published, "k2", {"k1"}, full_refresh=True) == []
    # A publication from before fingerprints were recorded judges by the warehouse only.
    assert refusals(delivery, _baseline(dt.date(2025, 6, 30), None), "k2", {"k2"}) == []


def test_a_missing_extract_is_refused(landing):
    _touch(landing, "wop_20250630.csv")
    reasons = refusals(survey(landing, TODAY), None, "k", set())
    assert reasons == [f"no usable {x}_YYYYMMDD.csv file in the landing folder" for x in FOUR if x != "wop"]


def test_a_published_file_held_by_a_writer_is_waited_for_then_one_clear_line(tmp_path):
    path = tmp_path / "pub.duckdb"
    holder = duckdb.connect(str(path))  # DuckDB's lock is per process: a child must try to read
    holder.execute("create table publication as select 1 as x")
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from dagster_project.ingestion.acceptance import read_baseline, PublishedFileUnreadable\n"
        "try:\n    read_baseline(Path(sys.argv[1]))\n"
        "except PublishedFileUnreadable as exc:\n    print(exc)\n"
    )
    env = {**os.environ, "DOORSTROOM_LOCK_WAIT": "1"}  # waits 1 s for the lock, then names the holder
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120, env=env
    )
    holder.close()
    assert "the published file" in out.stdout and "is locked by PID" in out.stdout, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    assert read_baseline(tmp_path / "none.duckdb") is None
    assert f"PID {os.getpid()}" in out.stdout  # the holder, named
