"""Q2 of the answer in NACE-BEL 2008 and 2025 (issue 15), on a hand-made delivery run through
the real pipeline.

Every count below is computed by hand from the contract (part B and appendix E). The
delivery's cutoff is 2025-06-30; each person has one collectief-maatwerk WOP at CM (with
its SEC job there, 88.101, ending with the WOP) and at most one later regular job:

| person | WOP ends (cohort) | regular job: start, NACE | transition | 2008 | 2025 | coded in | province |
|---|---|---|---|---|---|---|---|
| P1 | 2021-06-30 (2021) | 2021-09-01, 47.111 | 2021-09-01 | G | G | 2008 | Antwerpen |
| P2 | 2021-12-31 (2021) | 2022-02-01, empty | 2022-02-01 | ? | ? | 2008 | Antwerpen |
| P3 | 2023-03-31 (2023) | 2025-02-01, 62.010 | 2025-02-01 | J | K | 2025 | Oost-Vlaanderen |
| P4 | 2023-12-31 (2023) | 2024-03-01, 62.010 | 2024-03-01 | J | K | 2008 | West-Vlaanderen |
| P5 | 2024-06-30 (2024) | 2025-03-01, 45.200 | 2025-03-01 | ? | ? | 2025 | Antwerpen |
| P6 | 2024-09-30 (2024) | 2024-11-01, 45.200 | 2024-11-01 | G | G | 2008 | Limburg |
| P7 | 2024-12-31 (2024) | 2025-01-15, 64.190 | 2025-01-15 | K | L | 2025 | Vlaams-Brabant |
| P8 | 2024-05-31 (2024) | none | none | | | | Antwerpen |
| P9 | 2025-01-31 (2025) | 2024-10-01, 86.101 (during the WOP) | 2025-02-01 | Q | R | 2008 | Antwerpen |

P9 shows that the decision follows the transition date, not the classification: its job
started in 2024 (a 2008 code), its first NEC day after the WOP is in 2025.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.answer import Answer, build

from .conftest import KEY, insz, kbo
from .official import PROVINCES
from .pipeline_support import run_in_process, settings_for, write_delivery
from .test_answer import TagBalance, markdown_table, number, text_table

CM = kbo(4031707)
REGULAR = kbo(4567890)
PERSONS = {f"P{i}": insz(f"8{i}0101", 10 + i) for i in range(1, 10)}
# person: (WOP start, WOP end, regular job start, its NACE code or None, postal code)
PEOPLE = {
    "P1": ("2018-01-01", "2021-06-30", "2021-09-01", "47.111", "2000"),
    "P2": ("2018-01-01", "2021-12-31", "2022-02-01", "", "2000"),
    "P3": ("2019-01-01", "2023-03-31", "2025-02-01", "62.010", "9000"),
    "P4": ("2019-01-01", "2023-12-31", "2024-03-01", "62.010", "8000"),
    "P5": ("2020-01-01", "2024-06-30", "2025-03-01", "45.200", "2000"),
    "P6": ("2020-01-01", "2024-09-30", "2024-11-01", "45.200", "3500"),
    "P7": ("2020-01-01", "2024-12-31", "2025-01-15", "64.190", "3000"),
    "P8": ("2020-01-01", "2024-05-31", None, None, "2000"),
    "P9": ("2020-01-01", "2025-01-31", "2024-10-01", "86.101", "2000"),
}

Q2_2008 = "Doorstromen per sector (NACE-sectie) en provincie"
Q2_2025 = "Doorstromen per sector (NACE-BEL 2025-sectie) en provincie"


def _files() -> dict[str, list[str]]:
    wop = ["WOP_ID;INSZ;MAATREGEL;KBO_WERKGEVER;STARTDATUM;EINDDATUM"]
    jobs = ["INSZ;KBO_WERKGEVER;NACE;STARTDATUM;EINDDATUM"]
    residences = ["INSZ;LAND;POSTCODE;GELDIG_VAN;GELDIG_TOT"]
    for name, (start, end, job_start, nace, postcode) in PEOPLE.items():
        person = PERSONS[name]
        wop.append(f"W{name};{person};CM;{CM};{start};{end}")
        jobs.append(f"{person};{CM};88.101;{start};{end}")
        if job_start is not None:
            jobs.append(f"{person};{REGULAR};{nace};{job_start};")
        residences.append(f"{person};BE;{postcode};2010-01-01;")
    return {
        "wop": wop,
        "tewerkstelling": jobs,
        "verblijfplaats": residences,
        "evaluatie": [
            "EVALUATIE_ID;INSZ;WOP_ID;DATUM;AANLEIDING;POP_DATUM;UITKOMST",
            f"E1;{PERSONS['P8']};WP8;2023-11-15;VIJF_JAAR;2023-06-01;BEHOUD",
        ],
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("nace_2025")
    landing = tmp / "landing"
    write_delivery(landing, "20250630", _files())
    settings = settings_for(tmp, landing)
    result = run_in_process(settings, KEY)
    assert result.success, [e.message for e in result.all_events if e.is_step_failure]
    return settings.published


@pytest.fixture(scope="module")
def answers(published: Path) -> dict[str, Answer]:
    """The exact versions: every count here is 1 to 3, all hidden by default (see the last test)."""
    return {
        "2021": build(published, 2019, 2022, exact=True),
        "2023-2024": build(published, 2023, 2024, exact=True),
        "2025": build(published, 2025, 2025, exact=True),
    }


def _counts(rows: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """Section -> {province: count, 'Totaal': count} of the nonzero cells of a parsed Q2 table
    (the last nine cells: the eight provinces and the total); rows of zeros left out."""
    counts = {
        section: {
            column: number(cell)
            for column, cell in zip([*PROVINCES, "Totaal"], cells[-9:], strict=True)
            if number(cell)
        }
        for section, cells in rows.items()
        if len(cells) >= 9
    }
    return {section: cells for section, cells in counts.items() if cells}


def test_a_period_without_transitions_from_2025_has_only_the_2008_table(answers: dict[str, Answer]) -> None:
    """Cohort year 2021 only (2019-2022): P1 (G) and P2 (unknown, an empty code), both before 2025."""
    answer = answers["2021"]
    assert answer.data.q2_2025 is None
    assert [t.key for t in answer.sections[1].tables] == ["q2"]
    for output in (answer.text, answer.markdown, answer.html):
        assert "2025" not in output.split("Vraag 2", 1)[1].split("Vraag 3", 1)[0]
        assert "vergelijkbaar" in output
    for rows in (text_table(answer.text, Q2_2008), markdown_table(answer.markdown, Q2_2008)):
        counts = _counts(rows)
        assert counts["G"] == {"Antwerpen": 1, "Totaal": 1}
        assert counts["?"] == {"Antwerpen": 1, "Totaal": 1}  # the unknown sector is a row
        assert counts["Totaal"] == {"Antwerpen": 2, "Totaal": 2}
        assert set(counts) == {"G", "?", "Totaal"}
    assert text_table(answer.text, Q2_2008)["?"][0] == "Onbekend"


def test_a_period_with_transitions_from_2025_adds_the_2025_table(answers: dict[str, Answer]) -> None:
    """Cohort years 2023-2024: P3-P7 transition (P3, P5 and P7 in 2025, coded in NACE-BEL 2025)."""
    answer = answers["2023-2024"]
    q2 = answer.sections[1]
    assert [t.key for t in q2.tables] == ["q2", "q2_2025"]
    expected_2008 = {
        "G": {"Limburg": 1, "Totaal": 1},  # P6: a 2008 code of division 45
        "J": {"Oost-Vlaanderen": 1, "West-Vlaanderen": 1, "Totaal": 2},  # P3 (2025 code), P4
        "K": {"Vlaams-Brabant": 1, "Totaal": 1},  # P7: 64.190 in 2025 is finance, 2008 K
        "?": {"Antwerpen": 1, "Totaal": 1},  # P5: a 2025 code of division 45
        "Totaal": {
            "Antwerpen": 1,
            "Limburg": 1,
            "Oost-Vlaanderen": 1,
            "Vlaams-Brabant": 1,
            "West-Vlaanderen": 1,
            "Totaal": 5,
        },
    }
    expected_2025 = {
        "G": {"Limburg": 1, "Totaal": 1},
        "K": {"Oost-Vlaanderen": 1, "West-Vlaanderen": 1, "Totaal": 2},  # IT: J in 2008
        "L": {"Vlaams-Brabant": 1, "Totaal": 1},
        "?": {"Antwerpen": 1, "Totaal": 1},
        "Totaal": expected_2008["Totaal"],
    }
    for parse, output in ((text_table, answer.text), (markdown_table, answer.markdown)):
        assert _counts(parse(output, Q2_2008)) == expected_2008
        assert _counts(parse(output, Q2_2025)) == expected_2025
    # Every 2025 section, in the order and with the names of nace_sections_2025, '?' last.
    rows_2025 = markdown_table(answer.markdown, Q2_2025)
    letters = [k for k in rows_2025 if k != "Totaal"]
    assert letters == [*"ABCDEFGHIJKLMNOPQRSTUV", "?"]
    assert rows_2025["K"][0].startswith("Telecommunicatie")
    assert rows_2025["L"][0] == "Financiële activiteiten en verzekeringen"
    assert rows_2025["G"][0] == "Groot- en detailhandel"
    assert rows_2025["?"][0] == "Onbekend"
    assert markdown_table(answer.markdown, Q2_2008)["K"][0] == "Financiële activiteiten en verzekeringen"
    # The note on the classifications: P4, P6 coded in 2008; P3, P5, P7 in 2025.
    note = (
        "De NACE-code van de job was bij 2 doorstromen in NACE-BEL 2008 en bij 3 in NACE-BEL 2025 gecodeerd"
    )
    assert [(c.nace_classification, c.transitions) for c in answer.data.q2_2025.classifications] == [
        ("2008", 2),
        ("2025", 3),
    ]
    for output in (answer.text, answer.markdown, answer.html):
        assert note in output
        assert "gesplitst in J (uitgeverijen, omroep en content) en K" in output
        assert "reeks die over alle cohortjaren vergelijkbaar is" in output
    # HTML: both tables and both heat maps, still well formed.
    parser = TagBalance()
    parser.feed(answer.html)
    assert parser.errors == [] and parser.stack == []
    assert 'id="table-q2"' in answer.html and 'id="table-q2_2025"' in answer.html
    assert 'aria-label="Doorstromen per sector (NACE-BEL 2025) en provincie"' in answer.html
    assert "Telecommunicatie, computerprogrammering" in answer.html


def test_the_decision_follows_the_transition_date_not_the_classification(
    answers: dict[str, Answer],
) -> None:
    """Cohort year 2025: P9's only transition is dated 2025-02-01 but its job (started in 2024)
    has a 2008 code: the 2025 table is added, with no transition coded in NACE-BEL 2025."""
    answer = answers["2025"]
    assert answer.data.q2_2025 is not None
    assert [(c.nace_classification, c.transitions) for c in answer.data.q2_2025.classifications] == [
        ("2008", 1)
    ]
    assert "De NACE-code van de job was bij 1 doorstroom in NACE-BEL 2008 gecodeerd" in answer.text
    assert _counts(text_table(answer.text, Q2_2008))["Q"] == {"Antwerpen": 1, "Totaal": 1}
    assert _counts(text_table(answer.text, Q2_2025))["R"] == {"Antwerpen": 1, "Totaal": 1}
    # The unknown sector stays a row of both tables, also with no transition in it.
    for title in (Q2_2008, Q2_2025):
        for rows in (text_table(answer.text, title), markdown_table(answer.markdown, title)):
            assert rows["?"][0] == "Onbekend" and number(rows["?"][-1]) == 0


def test_by_default_every_count_of_this_small_delivery_is_hidden(published: Path) -> None:
    """Five transitions in 2023-2024, one or two per cell: the default (protected) answer hides
    every nonzero count of both sector tables, their linked totals and the counts per
    classification, and its audit passes."""
    answer = build(published, 2023, 2024)
    assert answer.audit is not None and answer.audit.passed
    print(f"\n{answer.audit.text()}")
    for title in (Q2_2008, Q2_2025):
        for parse, output in ((text_table, answer.text), (markdown_table, answer.markdown)):
            cells = [c for row in parse(output, title).values() for c in row[-9:]]
            assert set(cells) <= {"0", "x", "5"}, cells  # 5: the grand total, at k
            assert "x" in cells
    assert "De NACE-code van de job was bij x doorstromen in NACE-BEL 2008 en bij x in NACE-BEL 2025" in (
        answer.text
    )
