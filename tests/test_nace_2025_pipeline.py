"""NACE-BEL 2025 end to end (issue 15): a hand-made delivery whose transition jobs are coded in
both classifications, through the real pipeline, against counts computed by hand.

Five custom-work employees end a CM WOP and find a regular job; the job line's start date
decides the classification of its code (contract part A), its division the section in both
(appendix E):

| WOP | cohort | job line starts | code | classification | 2008 | 2025 |
|---|---|---|---|---|---|---|
| W1 | 2024 | 2025-01-01 | 62.010 (IT) | 2025 | J | K |
| W2 | 2024 | 2024-11-01 | 45.200 (car repair) | 2008 | G | G |
| W3 | 2024 | 2025-02-01 | 45.200 | 2025 | ? | ? (no 2025 division 45) |
| W4 | 2024 | 2025-01-01 | 64.190 (bank) | 2025 | K | L |
| W5 | 2023 | 2024-12-31, still open | 61.100 (telecom) | 2008 | J | K |

Everyone lives in Antwerpen.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from .conftest import KEY, insz, kbo
from .pipeline_support import run_in_process, settings_for, write_delivery

CM = kbo(4031707)
PERSONS = {  # WOP -> (person, WOP end, job employer, code, job start)
    "W1": (insz("850101", 11), "2024-06-30", kbo(4100001), "62.010", "2025-01-01"),
    "W2": (insz("850101", 12), "2024-03-31", kbo(4100002), "45.200", "2024-11-01"),
    "W3": (insz("850101", 13), "2024-09-30", kbo(4100003), "45.200", "2025-02-01"),
    "W4": (insz("850101", 14), "2024-12-31", kbo(4100004), "64.190", "2025-01-01"),
    "W5": (insz("850101", 15), "2023-06-30", kbo(4100005), "61.100", "2024-12-31"),
}


def _files() -> dict[str, list[str]]:
    wops = ["WOP_ID;INSZ;MAATREGEL;KBO_WERKGEVER;STARTDATUM;EINDDATUM"]
    lines = ["INSZ;KBO_WERKGEVER;NACE;STARTDATUM;EINDDATUM"]
    residences = ["INSZ;LAND;POSTCODE;GELDIG_VAN;GELDIG_TOT"]
    for wop, (person, end, employer, code, start) in PERSONS.items():
        wops.append(f"{wop};{person};CM;{CM};2019-01-01;{end}")
        lines.append(f"{person};{CM};88.101;2019-01-01;{end}")
        lines.append(f"{person};{employer};{code};{start};")
        residences.append(f"{person};BE;2000;2010-01-01;")
    evaluations = [
        "EVALUATIE_ID;INSZ;WOP_ID;DATUM;AANLEIDING;POP_DATUM;UITKOMST",
        f"E1;{PERSONS['W1'][0]};W1;2023-06-01;VIJF_JAAR;2023-01-15;BEHOUD",
    ]
    return {"wop": wops, "tewerkstelling": lines, "verblijfplaats": residences, "evaluatie": evaluations}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("nace2025")
    write_delivery(tmp / "landing", "20251231", _files())
    settings = settings_for(tmp, tmp / "landing")
    result = run_in_process(settings, KEY)
    assert result.success
    return settings.published


def _query(published: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_each_transition_job_in_both_classifications(published):
    rows = _query(
        published,
        "select wop_id, nace_code, nace_classification, nace_section, nace_section_2025, "
        "transition_date::varchar from wop_transitions order by wop_id",
    )
    assert rows == [
        ("W1", "62.010", "2025", "J", "K", "2025-01-01"),
        ("W2", "45.200", "2008", "G", "G", "2024-11-01"),
        ("W3", "45.200", "2025", "?", "?", "2025-02-01"),
        ("W4", "64.190", "2025", "K", "L", "2025-01-01"),
        ("W5", "61.100", "2008", "J", "K", "2024-12-31"),
    ]


def test_sector_counts_in_both_classifications(published):
    where = "where transitions > 0 and province = 'Antwerpen' order by all"
    assert _query(
        published, f"select cohort_year, nace_section, transitions from transitions_by_sector {where}"
    ) == [
        (2023, "J", 1),
        (2024, "?", 1),
        (2024, "G", 1),
        (2024, "J", 1),
        (2024, "K", 1),
    ]
    assert _query(
        published,
        f"select cohort_year, nace_section_2025, transitions from transitions_by_sector_2025 {where}",
    ) == [
        (2023, "K", 1),
        (2024, "?", 1),
        (2024, "G", 1),
        (2024, "K", 1),
        (2024, "L", 1),
    ]
    # Nothing anywhere else, and the two tables are dense over their own sections.
    assert _query(published, "select sum(transitions) from transitions_by_sector") == [(5,)]
    assert _query(published, "select sum(transitions) from transitions_by_sector_2025") == [(5,)]
    cells = "select count(*) from {} where cohort_year = 2024 and province = 'Antwerpen'"
    assert _query(published, cells.format("transitions_by_sector")) == [(22,)]  # A-U and ?
    assert _query(published, cells.format("transitions_by_sector_2025")) == [(23,)]  # A-V and ?


def test_both_tables_have_the_province_totals(published):
    totals = """
        select p.cohort_year, p.province, p.transitions,
               (select sum(transitions) from transitions_by_sector s
                where s.cohort_year = p.cohort_year and s.province = p.province),
               (select sum(transitions) from transitions_by_sector_2025 s
                where s.cohort_year = p.cohort_year and s.province = p.province)
        from transitions_by_province p
    """
    rows = _query(published, totals)
    assert rows and all(r[2] == r[3] == r[4] for r in rows)
    assert {(r[0], r[2]) for r in rows if r[1] == "Antwerpen"} == {(2023, 1), (2024, 4)}


def test_the_2025_names_are_published(published):
    names = dict(_query(published, "select nace_section_2025, section_name from nace_sections_2025"))
    assert names["K"].startswith("Telecommunicatie, computerprogrammering")
    assert names["L"] == "Financiële activiteiten en verzekeringen"
    assert names["?"] == "Onbekend"
