"""The parliamentary answer (`python -m dagster_project.answer`) on the real published demo file.

Every figure is compared with sums computed here directly from the published tables,
and with the official 2019-2022 figures the demo is calibrated to.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from dagster_project.answer import Answer, build, main
from dagster_project.answer.queries import OPTIONAL_TABLES, transition_medians

from .official import OFFICIAL_RETURNS, OFFICIAL_TRANSITIONS, PROVINCES


@pytest.fixture(scope="module")
def published(demo_pipeline: dict) -> Path:
    return demo_pipeline["settings"].published


@pytest.fixture(scope="module")
def answer(published: Path) -> Answer:
    return build(published, 2019, 2022)


@pytest.fixture(scope="module")
def provisional_answer(published: Path) -> Answer:
    return build(published, 2022, 2024)


@pytest.fixture(scope="module")
def exact_answer(published: Path) -> Answer:
    """The exact internal version (no disclosure control): every figure equals its published sum."""
    return build(published, 2019, 2022, exact=True)


@pytest.fixture(scope="module")
def exact_provisional_answer(published: Path) -> Answer:
    return build(published, 2022, 2024, exact=True)


def sums(published: Path, sql: str) -> dict[str, int]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return {k: int(v) for k, v in con.execute(sql).fetchall()}
    finally:
        con.close()


def query(published: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def number(cell: str) -> int:
    return int(cell.replace("\\", "").replace("*", "").replace(".", "").strip())


def text_table(text: str, title: str) -> dict[str, list[str]]:
    """Rows of the printed table whose title starts with ``title``: first cell -> the other cells."""
    block = text.split("\n" + title, 1)[1].split("\n\n", 1)[0].splitlines()
    rows = {}
    for line in block[3:]:  # title rest, header, rule
        if set(line) <= {"-", " "} or not line.strip():
            continue
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = cells[1:]
    return rows


def markdown_table(md: str, title: str) -> dict[str, list[str]]:
    """Rows of the Markdown table under the bold title starting with ``title``."""
    block = md.split("**" + title, 1)[1].split("\n\n", 2)[1].splitlines()
    rows = {}
    for line in block[2:]:  # header, alignment
        cells = [c.strip().strip("*") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        key = cells[0] or cells[1]  # the Q2 total row has an empty section letter
        rows[key] = cells[1:]
    return rows


def test_q1_and_q3_equal_the_published_tables_and_the_official_figures(
    published: Path, exact_answer: Answer
) -> None:
    """The exact version, figure by figure (the default hides Brussel's 2 returns, and what would
    give them back: tests/test_answer_disclosure.py)."""
    answer = exact_answer
    closed = sums(
        published,
        "select province, sum(closed_wops) from transitions_by_province "
        "where cohort_year between 2019 and 2022 group by all",
    )
    transitions = sums(
        published,
        "select province, sum(transitions) from transitions_by_province "
        "where cohort_year between 2019 and 2022 group by all",
    )
    returns = sums(
        published,
        "select province, sum(returns) from returns_by_province "
        "where cohort_year between 2019 and 2022 group by all",
    )
    assert transitions == OFFICIAL_TRANSITIONS
    assert returns == OFFICIAL_RETURNS

    q1_title, q3_title = "Doorstroom naar het NEC per provincie", "Terugkeer naar een WOP na doorstroom"
    for q1, q3 in (
        (text_table(answer.text, q1_title), text_table(answer.text, q3_title)),
        (markdown_table(answer.markdown, q1_title), markdown_table(answer.markdown, q3_title)),
    ):
        assert list(q1) == [*PROVINCES, "Totaal"]
        for province in PROVINCES:
            assert number(q1[province][0]) == closed[province]
            assert number(q1[province][1]) == OFFICIAL_TRANSITIONS[province]
            assert number(q3[province][1]) == OFFICIAL_RETURNS[province]
        assert number(q1["Totaal"][0]) == sum(closed.values())
        assert number(q1["Totaal"][1]) == sum(transitions.values()) == 2627
        assert number(q3["Totaal"][1]) == sum(returns.values()) == 487

    by_year = text_table(answer.text, "Doorstromen per provincie en cohortjaar")
    per_year = sums(
        published,
        "select cohort_year::varchar, sum(transitions) from transitions_by_province "
        "where cohort_year between 2019 and 2022 group by all",
    )
    assert [number(c) for c in by_year["Totaal"]] == [per_year[str(y)] for y in range(2019, 2023)] + [2627]


def test_q2_totals_equal_q1_and_the_sector_table(published: Path, exact_answer: Answer) -> None:
    answer = exact_answer  # sections with 1 to 4 transitions are hidden in the default version
    per_section = sums(
        published,
        "select nace_section, sum(transitions) from transitions_by_sector "
        "where cohort_year between 2019 and 2022 group by all",
    )
    title = "Doorstromen per sector (NACE-sectie) en provincie"
    text = text_table(answer.text, title)
    md = markdown_table(answer.markdown, title)
    # Text: sections as rows with their Dutch name, provinces abbreviated (the published
    # provinces.abbreviation), with a legend; Markdown: full names.
    abbreviations = dict(query(published, "select province, abbreviation from provinces"))
    assert answer.text.split("\n" + title, 1)[1].splitlines()[1].split()[2:] == [
        *(abbreviations[p] for p in PROVINCES),
        "Totaal",
    ]
    assert ", ".join(f"{abbreviations[p]} {p}" for p in PROVINCES) in answer.text
    assert "| sectie | omschrijving | " + " | ".join(PROVINCES) + " | Totaal |" in answer.markdown
    assert "Landbouw, bosbouw en visserij" in md["A"][0]
    assert md["?"][0] == "Onbekend"
    for rows in (text, md):
        assert set(per_section) <= set(rows)
        for section, total in per_section.items():
            assert number(rows[section][-1]) == total
        totals = [number(c) for c in rows["Totaal"][-len(PROVINCES) - 1 :]]
        assert totals == [OFFICIAL_TRANSITIONS[p] for p in PROVINCES] + [2627]


def test_q2_in_nace_bel_2025_only_for_periods_with_transitions_from_2025(
    published: Path, answer: Answer, provisional_answer: Answer, exact_provisional_answer: Answer
) -> None:
    """2019-2022 (all transitions before 2025): the 2008 table alone, said to be the comparable
    series, and no word of 2025. 2022-2024 (transitions in 2025): the same table in the 2025
    sections too, equal to transitions_by_sector_2025 (figure by figure in the exact version),
    with the count per classification."""
    q2 = answer.sections[1]
    assert answer.data.q2_2025 is None and [t.key for t in q2.tables] == ["q2"]
    for output in (answer.text, answer.markdown, answer.html):
        part = output.split("Vraag 2", 1)[1].split("Vraag 3", 1)[0]
        assert "2025" not in part
        assert "Deze tabel in NACE-BEL 2008 is de reeks die over alle cohortjaren vergelijkbaar is." in part

    (since_2025,) = query(
        published,
        "select count(*) from wop_transitions where has_transition "
        "and cohort_year between 2022 and 2024 and transition_date >= date '2025-01-01'",
    )[0]
    assert since_2025 > 0
    per_section = sums(
        published,
        "select nace_section_2025, sum(transitions) from transitions_by_sector_2025 "
        "where cohort_year between 2022 and 2024 group by all",
    )
    coded = dict(
        query(
            published,
            "select nace_classification, count(*) from wop_transitions "
            "where has_transition and cohort_year between 2022 and 2024 group by all",
        )
    )
    names = query(
        published, "select nace_section_2025, section_name from nace_sections_2025 order by sort_order"
    )
    title = "Doorstromen per sector (NACE-BEL 2025-sectie) en provincie, cohortjaren 2022-2024 (*)"
    assert [t.key for t in provisional_answer.sections[1].tables] == ["q2", "q2_2025"]
    assert [t.key for t in exact_provisional_answer.sections[1].tables] == ["q2", "q2_2025"]
    text = text_table(exact_provisional_answer.text, title)
    md = markdown_table(exact_provisional_answer.markdown, title.replace("*", "\\*"))
    # Every section of nace_sections_2025 in its order with its name, the unknown '?' last.
    assert [(code, md[code][0]) for code in list(md)[: len(names)]] == names
    for rows in (text, md):
        assert [k for k in rows if k in per_section] == [code for code, _ in names]
        for code, total in per_section.items():
            assert number(rows[code][-1]) == total
        assert number(rows["Totaal"][-1]) == sum(per_section.values())

    def flemish(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    note = (
        f"De NACE-code van de job was bij {flemish(coded['2008'])} doorstromen in NACE-BEL 2008 en bij "
        f"{flemish(coded['2025'])} in NACE-BEL 2025 gecodeerd"
    )
    for output in (provisional_answer.text, provisional_answer.markdown, provisional_answer.html):
        assert note in output
        assert "de codes in NACE-BEL 2025 zijn erin via hun afdeling omgezet" in output


def test_provisional_figures_are_marked(published: Path, answer: Answer, provisional_answer: Answer) -> None:
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert str(con.execute("select data_cutoff from publication").fetchone()[0]) == "2025-06-30"
    finally:
        con.close()
    for output in (answer.text, answer.markdown, answer.html):
        assert "(*)" not in output and "(\\*)" not in output
        assert "Voorlopig" not in output
    assert answer.data.period.provisional_years == []

    assert provisional_answer.data.period.provisional_years == [2023, 2024]
    text = provisional_answer.text
    assert "Doorstroom naar het NEC per provincie, cohortjaren 2022-2024 (*)" in text
    assert "Terugkeer naar een WOP na doorstroom (SEC-NEC-SEC), cohortjaren 2022-2024 (*)" in text
    assert re.search(r"^provincie\s+2022\s+2023\*\s+2024\*\s+Totaal$", text, re.MULTILINE)
    assert "(*) Voorlopig: voor cohortjaren 2023, 2024" in text
    assert "2025-06-30" in text
    assert "cohortjaren 2022-2024 (\\*)**" in provisional_answer.markdown
    assert "Voorlopig" in provisional_answer.markdown
    assert "(*) Voorlopig" in provisional_answer.html


class TagBalance(HTMLParser):
    """Checks that every element is closed in order (void elements excepted)."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source", "area", "base"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


@pytest.mark.parametrize("which", ["answer", "provisional_answer"])
def test_html_is_valid_and_self_contained(which: str, request: pytest.FixtureRequest) -> None:
    page = request.getfixturevalue(which).html
    parser = TagBalance()
    parser.feed(page)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    assert page.startswith("<!DOCTYPE html>")
    ids = [attrs["id"] for _, attrs in parser.tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    tags = [t for t, _ in parser.tags]
    assert tags.count("svg") >= 3  # bars per province and year, the heat map, the returns bars
    assert tags.count("table") >= 4 and "style" in tags
    # Charts: bars per province and cohort year, a sector x province heat map (22 x 8 cells).
    assert 'aria-label="Doorstromen per provincie en cohortjaar"' in page
    assert 'aria-label="Doorstromen per sector en provincie"' in page
    assert f"Antwerpen, {request.getfixturevalue(which).data.period.first}: " in page
    # Self-contained: nothing is fetched.
    assert "http://" not in page and "https://" not in page
    assert "script" not in tags and "link" not in tags and "iframe" not in tags
    assert not any(k in ("src", "href") for _, attrs in parser.tags for k in attrs)
    assert "url(" not in page and "@import" not in page


def test_cli_prints_and_writes_the_answer(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["--from", "2019", "--to", "2022", "--database", str(published), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    rows = text_table(printed, "Doorstroom naar het NEC per provincie")
    assert number(rows["Totaal"][1]) == 2627
    md, page = tmp_path / "answer_2019-2022.md", tmp_path / "answer_2019-2022.html"
    assert md.read_text(encoding="utf-8").startswith(
        "# Doorstroom uit collectief maatwerk: cohortjaren 2019-2022"
    )
    assert "<svg" in page.read_text(encoding="utf-8")


def test_cli_rejects_a_reversed_period_and_explains_missing_data(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dagster_project.answer", "--from", "2023", "--to", "2019"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--from 2023 is after --to 2019" in result.stderr
    assert result.stdout == ""

    assert main(["--database", str(tmp_path / "missing.duckdb"), "--out", str(tmp_path)]) == 1
    assert "published file not found" in capsys.readouterr().err
    assert main(["--from", "1990", "--to", "1995", "--database", str(published), "--out", str(tmp_path)]) == 1
    assert "no cohort year between 1990 and 1995" in capsys.readouterr().err
    assert not list(tmp_path.glob("answer_*"))


def test_evaluation_sections_are_skipped_without_their_tables(published: Path, tmp_path: Path) -> None:
    copy = tmp_path / "published.duckdb"
    shutil.copy(published, copy)
    con = duckdb.connect(str(copy))
    try:
        for table in OPTIONAL_TABLES:
            con.execute(f"drop table if exists {table}")
    finally:
        con.close()
    without = build(copy, 2019, 2022)
    assert [s.key for s in without.sections] == ["q1", "q2", "q3"]
    for output in (without.text, without.markdown, without.html):
        assert "Vraag 4" not in output and "Vraag 5" not in output
        assert "Vraag 3" in output


@pytest.fixture(scope="module")
def published_with_evaluations(demo_pipeline: dict, published: Path, tmp_path_factory) -> Path:
    """The published file with the evaluation tables: as published, or, while the publication does
    not include them yet, the same file plus the tables the run built in the warehouse."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        present = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    if set(OPTIONAL_TABLES) <= present:
        return published
    warehouse = demo_pipeline["settings"].warehouse
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        built = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    if not set(OPTIONAL_TABLES) <= built:
        pytest.skip("the evaluation tables (issue 6) are neither published nor built")
    copy = tmp_path_factory.mktemp("evaluations") / "published.duckdb"
    shutil.copy(published, copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute(f"attach '{warehouse}' as wh (read_only)")
        for table in OPTIONAL_TABLES:
            con.execute(f"create or replace table {table} as select * from wh.marts.{table}")
    finally:
        con.close()
    return copy


def test_evaluation_sections_equal_their_tables(published_with_evaluations: Path) -> None:
    path = published_with_evaluations
    result = build(path, 2019, 2024)
    assert [s.key for s in result.sections] == ["q1", "q2", "q3", "q4", "q5"]
    kpi = sums(
        path,
        "select 'x', 0 union all "
        "select unnest(['closed', 'transitions', 'returns', 'known', 'sustained']), "
        "unnest([sum(closed_wops), sum(transitions), sum(returns), sum(sustained_known), sum(sustained)]) "
        "from transition_kpis_by_province where cohort_year between 2019 and 2024",
    )
    evaluations = sums(
        path,
        "select outcome, sum(evaluations) from evaluations_by_year "
        "where year between 2019 and 2024 group by all",
    )
    title = "Kerncijfers per provincie, cohortjaren 2019-2024"
    for rows in (text_table(result.text, title), markdown_table(result.markdown, title)):
        total = rows["Totaal"]
        assert [number(total[i]) for i in (0, 1, 4, 5, 7)] == [
            kpi["closed"],
            kpi["transitions"],
            kpi["known"],
            kpi["sustained"],
            kpi["returns"],
        ]
    q5 = text_table(result.text, "Evaluaties per aanleiding en uitkomst")
    assert [number(c) for c in q5["Totaal"]] == [
        evaluations["DOORSTROOMTRAJECT"],
        evaluations["BEHOUD"],
        evaluations["AANPASSING"],
        sum(evaluations.values()),
    ]
    # The table per year: a column per trigger and per outcome flagged shown_per_year.
    triggers = query(
        path, "select short_label_nl from evaluation_triggers where shown_per_year order by sort_order"
    )
    outcomes = query(
        path, "select short_label_nl from evaluation_outcomes where shown_per_year order by sort_order"
    )
    by_year = next(t for t in result.sections[-1].tables if t.key == "q5_by_year")
    assert [c.label for c in by_year.columns] == [
        "jaar",
        "evaluaties",
        *(label for (label,) in triggers),
        "recent POP",
        *(f"conversie {label}" for (label,) in outcomes),
    ]
    parser = TagBalance()
    parser.feed(result.html)
    assert parser.errors == [] and parser.stack == []
    assert '<section id="q4">' in result.html and '<section id="q5">' in result.html
    assert [t for t, _ in parser.tags].count("svg") >= 9
    assert "Doorstroomgraad per provincie en cohortjaar" in result.html


def test_the_median_of_a_total_follows_the_published_median_of_a_cell(
    published_with_evaluations: Path,
) -> None:
    """The answer computes the median of a total in SQL over wop_transitions (MEDIANS_SQL); the
    publication computes it per cell. For every (cohort_year, province) cell both give the same."""
    path = published_with_evaluations
    published = {
        (year, province): median
        for year, province, median in query(
            path, "select cohort_year, province, median_days_to_transition from transition_kpis_by_province"
        )
    }
    first, last = min(y for y, _ in published), max(y for y, _ in published)
    con = duckdb.connect(str(path), read_only=True)
    try:
        medians = transition_medians(con, first, last)
    finally:
        con.close()
    computed = {
        (m.cohort_year, m.province): m.median_days
        for m in medians
        if m.cohort_year is not None and m.province is not None
    }
    assert computed
    assert computed == {cell: median for cell, median in published.items() if median is not None}
