"""The whole pipeline (ingestion, dbt build with its tests) on a tiny hand-made delivery."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dagster_project.ingestion.pseudonym import pseudonym

from .conftest import KEY, insz, kbo
from .pipeline_support import run_pipeline, settings_for

A = insz("850730", 33)  # transitions after a CM WOP
B = insz("900101", 44)  # stays on with a renewed WOP: no transition
CM = kbo(4031707)  # a custom-work company
REGULAR = kbo(4567890)  # a regular employer


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("tiny")
    landing = tmp / "landing"
    landing.mkdir()
    files = {
        "wop": [
            "WOP_ID;INSZ;MAATREGEL;KBO_WERKGEVER;STARTDATUM;EINDDATUM",
            f"W1;{A};CM;{CM};2016-07-01;2020-06-30",
            f"W2;{B};CM;{CM};2016-01-01;2020-12-31",
            f"W3;{B};CM;{CM};2021-01-01;",
        ],
        "tewerkstelling": [
            "INSZ;KBO_WERKGEVER;NACE;STARTDATUM;EINDDATUM",
            f"{A};{CM};88.101;2016-07-01;2020-06-30",
            f"{A};{REGULAR};47.111;2020-09-01;",
            f"{B};{CM};88.101;2016-01-01;",
        ],
        "verblijfplaats": [
            "INSZ;LAND;POSTCODE;GELDIG_VAN;GELDIG_TOT",
            f"{A};BE;2000;2010-01-01;",
            f"{B};BE;8000;2010-01-01;",
        ],
        "evaluatie": [
            "EVALUATIE_ID;INSZ;WOP_ID;DATUM;AANLEIDING;POP_DATUM;UITKOMST",
            f"E1;{B};W2;2020-11-15;VIJF_JAAR;2020-06-01;BEHOUD",
        ],
    }
    for name, lines in files.items():
        (landing / f"{name}_20250630.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = settings_for(tmp, landing)
    result = run_pipeline(settings, KEY)
    return result, settings


def test_pipeline_succeeds_with_every_check(tiny_run):
    result, _ = tiny_run
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert len(checks) > 100  # the dbt data tests, surfaced as asset checks
    assert [c.check_name for c in checks if not c.passed] == []


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
