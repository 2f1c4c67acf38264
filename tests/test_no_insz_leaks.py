"""No raw INSZ anywhere (issue 11): every bad-input kind we know, fed to the real pipeline CLI,
leaves no INSZ in its console output, the Dagster storage and compute logs, the dbt logs and
target, the GX data docs, the spill folder, or the warehouse and published files.

Three runs on one warehouse, each with its own landing folder:
- refused at acceptance: a file named after an INSZ, a link to a non-CSV file full of
  INSZ outside the landing folder, a misnamed extract file;
- rejected whole files: no header row, the wrong delimiter, not UTF-8, a header only;
- row by row through dbt and the gate: an INSZ in every free field and key, an INSZ with
  separators, bad check digits, too many fields, broken quoting, a control byte, extra
  columns (one named after an INSZ), exact and conflicting duplicates.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project.settings import Settings

from .conftest import KEY, TEST_ROOT, dagster_home, insz, kbo
from .leaks import PROJECT_ROOT, files_under, insz_of, leaking_files, leaking_tables, leaking_text
from .pipeline_support import cli_environment, tiny_files, write_delivery

P = [insz("850730", 33 + i) for i in range(12)]  # one person per kind: a leak names its kind
BAD = P[0][:-2] + f"{(int(P[0][-2:]) + 1) % 100:02d}"  # bad check digits
K = kbo(4031707)
DOTTED = f"{P[1][:2]}.{P[1][2:4]}.{P[1][4:6]}-{P[1][6:9]}.{P[1][9:]}"


def _refused_at_acceptance(landing: Path, outside: Path) -> None:
    write_delivery(landing, "20250630", tiny_files())
    (landing / f"{P[2]}.csv").write_text(f"{P[2]};x\n")
    notes = outside / "notes.txt"
    notes.write_text(f"{P[3]} heeft een nieuw contract\n")
    (landing / "verblijfplaats_20250630.csv").unlink()
    (landing / "verblijfplaats_20250630.csv").symlink_to(notes)
    (landing / "WOP_20250630.csv").write_text(f"WOP_ID;INSZ\nW9;{P[4]}\n")


def _rejected_files(landing: Path) -> None:
    files = tiny_files()
    files["wop"] = [f"W1;{P[5]};CM;{K};2016-07-01;2020-06-30"]  # the header row is missing
    files["tewerkstelling"] = [line.replace(";", ",") for line in files["tewerkstelling"]]
    files["tewerkstelling"].append(f"{P[6]},{K},88.101,2016-07-01,")
    files["evaluatie"] = [files["evaluatie"][0]]  # a header only: loads, with nothing
    write_delivery(landing, "20250630", files)
    latin = f"INSZ;LAND;POSTCODE;GELDIG_VAN;GELDIG_TOT\n{P[7]};BE;2000;2010-01-01;Bruxelles \xe9\n"
    (landing / "verblijfplaats_20250630.csv").write_bytes(latin.encode("latin-1"))


def _bad_rows(landing: Path) -> None:
    files = tiny_files()
    files["wop"] += [
        f"{P[8]};{P[8]};CM;{K};2017-01-01;2018-12-31",  # an INSZ as the key
        f"W8;{DOTTED};CM;{K};2017-01-01;2018-12-31",  # with separators: invalid
        f"W9;{BAD};CM;{K};2017-01-01;2018-12-31",  # bad check digits
        f"W10;{P[9]};CM;{K};2017-01-01;2018-12-31;{P[9]}",  # one field too many
        f'W11;"{P[9]};CM;{K};2017-01-01;2018-12-31',  # broken quoting
        f"W12;{P[9]};CM;{K};2017-01-01;2018-12-31\x01",  # a control byte
        f"W13;{P[9]};CM;{K};2017-01-01;2018-12-31",
        f"W13;{P[9]};CM;{K};2017-01-01;2018-12-30",  # a conflicting duplicate key
        f"W14;{P[9]};CM;{K};2017-01-01;2018-12-31",
        f"W14;{P[9]};CM;{K};2017-01-01;2018-12-31",  # an exact duplicate
        "",
    ]
    files["tewerkstelling"] += [f"{P[10]};{K};{P[10]};2017-01-01;", f"{P[10]};{K};{DOTTED};2018-01-01;"]
    files["verblijfplaats"] += [f"{P[10]};NL;{P[10]};2017-01-01;", f"{P[10]};{P[10]};;2018-01-01;"]
    header, *rows = files["evaluatie"]
    files["evaluatie"] = [f"{header};OPMERKING;{P[11]}"] + [f"{r};belde {P[11]};x" for r in rows]
    files["evaluatie"].append(f"{P[11]};{P[11]};{P[8]};2020-11-15;VIJF_JAAR;;BEHOUD;;")
    write_delivery(landing, "20250630", files)


KINDS = {
    "refused_at_acceptance": _refused_at_acceptance,
    "rejected_files": _rejected_files,
    "bad_rows": _bad_rows,
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("leaks")
    outside = tmp / "outside"
    outside.mkdir()
    work = tmp / "work"
    home = dagster_home(work)
    consoles = {}
    landings = []
    for name, make in KINDS.items():
        landing = tmp / f"landing_{name}"
        landing.mkdir()
        make(*((landing, outside) if name == "refused_at_acceptance" else (landing,)))
        landings.append(landing)
        settings = Settings.from_env(
            {
                "DOORSTROOM_LANDING_DIR": str(landing),
                "DOORSTROOM_WAREHOUSE": str(work / "warehouse.duckdb"),
                "DOORSTROOM_PUBLISHED": str(work / "published" / "doorstroom.duckdb"),
                "DOORSTROOM_TEMP_DIR": str(work / "duckdb_tmp"),
            }
        )
        env = cli_environment(settings, home, KEY, DBT_LOG_PATH=str(work / "dbt" / "logs"))
        out = subprocess.run(
            [sys.executable, "-m", "dagster_project.defs.pipeline", "--force"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        consoles[name] = (out.returncode, out.stdout + out.stderr)
    inputs = insz_of(p for landing in landings for p in landing.iterdir()) | insz_of([outside / "notes.txt"])
    return {"work": work, "consoles": consoles, "insz": inputs}


def test_every_kind_ran_as_expected(runs):
    consoles = runs["consoles"]
    assert len(runs["insz"]) == 13  # P[2..11], A and B of the tiny delivery, BAD
    code, text = consoles["refused_at_acceptance"]
    assert code == 1 and "<masked>.csv: not a valid extract file name" in text
    assert "verblijfplaats_20250630.csv: a symbolic link out of the landing folder" in text
    code, text = consoles["rejected_files"]
    assert code == 1
    assert "wop_20250630.csv line 1 (header): missing column(s)" in text
    assert "(is the header row missing?)" in text
    assert "verblijfplaats_20250630.csv: cannot be read as a UTF-8 text file" in text
    code, text = consoles["bad_rows"]
    assert "pipeline run" in text  # it ran to the end, through dbt and the gate


def test_no_insz_in_the_console(runs):
    for name, (_, text) in runs["consoles"].items():
        assert leaking_text(text, runs["insz"]) == 0, name


def test_no_insz_in_any_file_the_runs_wrote(runs):
    work = runs["work"]
    written = files_under(work) + files_under(TEST_ROOT / "dbt")
    assert any(p.name == "warehouse.duckdb" for p in written)
    assert any("storage" in p.parts for p in written)  # the Dagster run storage
    assert any("gx_data_docs" in p.parts for p in written)
    assert leaking_files(written, runs["insz"]) == {}


def test_no_insz_in_any_table(runs):
    assert leaking_tables(runs["work"] / "warehouse.duckdb", runs["insz"]) == {}
    published = runs["work"] / "published" / "doorstroom.duckdb"
    if published.exists():
        assert leaking_tables(published, runs["insz"]) == {}
