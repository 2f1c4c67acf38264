"""Disclosure control of the parliamentary answer (issue 16) on the demo answer 2019-2022.

The answer is protected by default (`dagster_project.answer.protection`): no count of 1 to 4 is
published anywhere (figures, tables, charts, text and Markdown), the audit passes and its report
is printed (run with ``-s`` or read it under "Captured stdout" with ``-rP``), the official totals
stay visible, and ``--exact`` gives the exact internal version under its own file names.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dagster_project.answer import INTERNAL_SUFFIX, INTERNAL_WARNING, Answer, build, main
from dagster_project.answer.disclosure import TOTAL, Key, rule
from dagster_project.answer.model import SUPPRESSED_MARK, BarChart, HeatMap, Report, Suppressed, Table
from dagster_project.answer.protection import release
from dagster_project.answer.records import AnswerData, Kpi

from .official import OFFICIAL_RETURNS, OFFICIAL_TRANSITIONS
from .test_answer import markdown_table, number, text_table

K = 5
# Fields of the records that are not counts: labels, years, flags, rates, shares and medians
# (checked as derived values below).
NOT_COUNTS = {
    "province",
    "cohort_year",
    "year",
    "nace_section",
    "nace_section_2025",
    "nace_classification",
    "trigger",
    "outcome",
    "median_days",
    "follow_up_complete",
    "transition_rate",
    "sustained_share",
    "return_rate",
    "recent_pop_share",
    "outdated_pop_share",
    "conversion",
    "share",
}


@pytest.fixture(scope="module")
def published(demo_pipeline: dict) -> Path:
    return demo_pipeline["settings"].published


@pytest.fixture(scope="module")
def answer(published: Path) -> Answer:
    return build(published, 2019, 2022)


@pytest.fixture(scope="module")
def exact(published: Path) -> Answer:
    return build(published, 2019, 2022, exact=True)


def records(data: AnswerData) -> Iterator[object]:
    """Every figure record of the answer."""
    yield from data.q1
    yield from data.q1_by_year
    yield from data.q2
    yield from data.q3
    yield from data.q3_by_year
    yield from data.q4 or []
    if data.q5 is not None:
        yield from data.q5.evaluations
        yield from data.q5.trigger_shares
    if data.q2_2025 is not None:
        yield from data.q2_2025.cells
        yield from data.q2_2025.classifications


def counts(data: AnswerData) -> Iterator[tuple[object, str, object]]:
    """(record, field, value) of every count field."""
    for record in records(data):
        for f in dataclasses.fields(record):  # type: ignore[arg-type]
            value = getattr(record, f.name)
            if f.name not in NOT_COUNTS:
                yield record, f.name, value


def small(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < K


def table_cells(report: Report) -> Iterator[tuple[Table, str, object]]:
    for section in report.sections:
        for table in section.tables:
            for row in [*table.rows, *([table.total] if table.total is not None else [])]:
                for value, column in zip(row, table.columns, strict=True):
                    yield table, column.kind, value


def chart_values(report: Report) -> Iterator[tuple[BarChart | HeatMap, object]]:
    for section in report.sections:
        for chart in section.charts:
            for row in chart.values:
                for value in row:
                    yield chart, value


def text_rows(text: str, table: Table) -> list[list[str]]:
    """The cells of ``table`` as printed in the text answer: its lines sliced at the columns of
    the rule under the header (numbers are right-aligned in their column)."""
    lines = text.split("\n" + table.title + "\n", 1)[1].splitlines()
    rule_line = lines[1]
    spans = [m.span() for m in re.finditer(r"-+", rule_line)]
    body = [line for line in lines[2 : 2 + len(table.rows) + 2 * (table.total is not None)]]
    body = [line for line in body if set(line) - {"-", " "}]
    return [[line[a:b].strip() for a, b in spans] for line in body]


def md_rows(md: str, table: Table) -> list[list[str]]:
    block = md.split("**" + table.title.replace("*", "\\*") + "**", 1)[1].split("\n\n", 2)[1].splitlines()
    return [[c.strip().strip("*") for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in block[2:]]


def printed_counts(rows: list[list[str]], table: Table) -> list[str]:
    """The printed cells of the table's count columns."""
    kinds = [c.kind for c in table.columns]
    return [cell for row in rows for cell, kind in zip(row, kinds, strict=True) if kind == "int"]


def test_no_count_of_1_to_4_is_published(answer: Answer, exact: Answer) -> None:
    # The figures: every count field of every record, printed or not.
    leaks = [(type(r).__name__, r, name) for r, name, value in counts(answer.data) if small(value)]
    assert leaks == []
    # ... while the exact figures hold many (Brussel per year, sectors per province).
    assert sum(small(value) for _, _, value in counts(exact.data)) > 40
    hidden = [v for _, _, v in counts(answer.data) if isinstance(v, Suppressed)]
    assert any(v.primary for v in hidden) and any(not v.primary for v in hidden)

    # The report model: tables and charts.
    assert not [(t.key, v) for t, kind, v in table_cells(answer.report) if kind == "int" and small(v)]
    assert not [(c.title, v) for c, v in chart_values(answer.report) if c.kind == "int" and small(v)]
    assert any(isinstance(v, Suppressed) for _, _, v in table_cells(answer.report))
    assert any(isinstance(v, Suppressed) for _, v in chart_values(answer.report))

    # The text and Markdown outputs: every count cell of every table is a number of 0 or at
    # least 5, a dash or x; and x is there.
    tables = [t for s in answer.report.sections for t in s.tables]
    checked = 0
    for rows_of, output in ((text_rows, answer.text), (md_rows, answer.markdown)):
        marks = 0
        for table in tables:
            for cell in printed_counts(rows_of(output, table), table):
                assert re.fullmatch(r"\d{1,3}(\.\d{3})*|x|\u2013", cell), (table.key, cell)
                if cell == SUPPRESSED_MARK:
                    marks += 1
                elif cell != "\u2013":
                    assert not 0 < number(cell) < K, (table.key, cell)
                    checked += 1
        assert marks >= 50
    assert checked > 500
    # The exact version does print them (the same parser finds them).
    q1_by_year = next(t for t in exact.report.sections[0].tables if t.key == "q1_by_year")
    assert any(
        cell != "\u2013" and 0 < number(cell) < K
        for cell in printed_counts(text_rows(exact.text, q1_by_year), q1_by_year)
    )


def test_the_audit_passes_and_reports_every_table(answer: Answer, exact: Answer) -> None:
    audit = answer.audit
    assert audit is not None
    print(f"\n{audit.text()}")
    assert audit.passed and audit.k == K
    tables = {t.table: t for t in audit.tables}
    assert list(tables)[:6] == [
        "transitions",
        "transitions_by_year",
        "transitions_by_sector",
        "returns",
        "returns_by_year",
        "kpis",
    ]
    assert {"sustained_by_year", "evaluations", "evaluations_pop", "evaluations_conversion"} <= set(tables)
    # Every hidden cell ranges over at least k values given everything published.
    assert all(i.width >= K - 1e-6 for i in audit.intervals.values())
    for t in audit.tables:
        assert (t.smallest_width is None) == (t.hidden == 0)
        assert t.smallest_width is None or t.smallest_width >= K - 1e-6
    # The primary cells are exactly the printed counts of 1 to 4 of the exact answer.
    data = exact.data
    by_year = [c.count for c in data.q1_by_year]
    sectors = [c.transitions for c in data.q2]
    assert tables["transitions_by_year"].primary == sum(small(v) for v in by_year) == 6  # Brussel, Buiten
    assert tables["transitions_by_sector"].primary == sum(small(v) for v in sectors) == 33
    assert tables["returns"].primary == 1  # Brussel: 2 returns
    assert tables["returns_by_year"].primary == sum(small(c.count) for c in data.q3_by_year) == 2
    assert tables["transitions"].hidden == 0  # Brussel's 8 and Buiten's 10 stay visible
    # Secondary cells: a hidden cell is never the only hidden one of a total it is part of.
    assert tables["transitions_by_year"].secondary >= 1 and tables["transitions_by_sector"].secondary >= 1
    assert tables["returns"].secondary >= 1
    # Nothing of Q5 is small in the demo: nothing hidden there.
    assert all(t.hidden == 0 for t in audit.tables if t.table.startswith("evaluations"))
    assert exact.audit is None


def test_the_official_totals_stay_visible(answer: Answer) -> None:
    assert sum(OFFICIAL_TRANSITIONS.values()) == 2627 and sum(OFFICIAL_RETURNS.values()) == 487
    for rows in (
        text_table(answer.text, "Doorstroom naar het NEC per provincie"),
        markdown_table(answer.markdown, "Doorstroom naar het NEC per provincie"),
    ):
        assert number(rows["Totaal"][1]) == 2627
    for rows in (
        text_table(answer.text, "Terugkeer naar een WOP na doorstroom"),
        markdown_table(answer.markdown, "Terugkeer naar een WOP na doorstroom"),
    ):
        assert number(rows["Totaal"][0]) == 2627 and number(rows["Totaal"][1]) == 487
    assert "2.627 ervan" in answer.report.summary and "487 keer" in answer.report.summary
    # The large province figures too: every province's transitions, as in the official table.
    q1 = text_table(answer.text, "Doorstroom naar het NEC per provincie")
    assert {p: number(q1[p][1]) for p in OFFICIAL_TRANSITIONS} == OFFICIAL_TRANSITIONS


def test_the_report_states_the_rule(answer: Answer, exact: Answer) -> None:
    sentence = rule(K)
    assert sentence.count(". ") == 0 and sentence.endswith(".")
    note = f"{SUPPRESSED_MARK} = niet gepubliceerd. {sentence}"
    assert note in answer.report.notes
    for output in (answer.text, answer.markdown, answer.html):
        assert sentence in output
    assert 'class="num suppressed"' in answer.html
    # The exact version says what it is at the top, and has no rule.
    assert exact.report.summary.startswith(INTERNAL_WARNING)
    for output in (exact.text, exact.markdown, exact.html):
        assert INTERNAL_WARNING in output and sentence not in output
    assert INTERNAL_WARNING not in answer.text


def test_tables_and_charts_show_the_same_pattern(answer: Answer) -> None:
    """Protected at the figures: a heat map or bar is hidden exactly where its table's cell is."""
    q1, q2, q3 = answer.report.sections[:3]
    table = next(t for t in q2.tables if t.key == "q2")
    heat = q2.charts[0]
    assert isinstance(heat, HeatMap)
    for row, cells in zip(table.rows, heat.values, strict=True):
        for in_table, in_chart in zip(row[2:-1], cells, strict=True):
            assert in_table == in_chart
    by_year = next(t for t in q1.tables if t.key == "q1_by_year")
    bars = q1.charts[0]
    assert isinstance(bars, BarChart)
    assert [row[1:-1] for row in by_year.rows] == bars.values
    assert any(isinstance(v, Suppressed) for row in bars.values for v in row)
    assert any(isinstance(v, Suppressed) for row in q3.charts[0].values for v in row)


def test_a_rate_on_a_hidden_count_or_few_units_is_hidden(answer: Answer, exact: Answer) -> None:
    assert answer.data.q4 is not None and exact.data.q4 is not None
    protected = {(k.cohort_year, k.province): k for k in answer.data.q4}
    exact_kpis = {(k.cohort_year, k.province): k for k in exact.data.q4}
    checked = 0
    for cell, k in protected.items():
        e: Kpi = exact_kpis[cell]
        if isinstance(k.transitions, Suppressed):  # rate x closed WOPs or x returns gives it back
            assert e.transition_rate is None or isinstance(k.transition_rate, Suppressed)
            assert e.return_rate is None or isinstance(k.return_rate, Suppressed)
            checked += 1
        if isinstance(k.returns, Suppressed):
            assert e.return_rate is None or isinstance(k.return_rate, Suppressed)
        if small(e.transitions):  # a median over fewer than 5 transitions
            assert isinstance(k.median_days, Suppressed) and k.median_days.primary
        if small(e.sustained_known):
            assert isinstance(k.sustained_share, Suppressed) and k.sustained_share.primary
    assert checked >= 6
    # Brussel 2022: 66,7 % sustainable and 66,7 % returns, both on 3 transitions (issue 16).
    brussel = protected[(2022, "Brussel")]
    assert exact_kpis[(2022, "Brussel")].transitions == 3
    assert isinstance(brussel.transitions, Suppressed) and brussel.transitions.primary
    assert isinstance(brussel.transition_rate, Suppressed) and brussel.transition_rate.primary
    assert isinstance(brussel.sustained_share, Suppressed) and isinstance(brussel.return_rate, Suppressed)
    assert "66,7 %" in exact.text and "66,7 %" not in answer.text
    # Q1 over the period: a rate stays when its counts do.
    for r in answer.data.q1:
        assert isinstance(r.transition_rate, Suppressed) == isinstance(r.transitions, Suppressed)


def test_cli_exact_writes_the_internal_version_under_its_own_name(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    args = ["--from", "2019", "--to", "2022", "--database", str(published), "--out", str(tmp_path)]
    assert main(args) == 0
    public = capsys.readouterr().out
    assert main([*args, "--exact"]) == 0
    internal = capsys.readouterr()
    stem = "answer_2019-2022"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{stem}{suffix}.{ext}" for suffix in ("", INTERNAL_SUFFIX) for ext in ("md", "html", "xlsx")
    )
    # Brussel per cohort year: 2, 1, 2, 3 transitions, printed in the internal version only.
    assert text_table(internal.out, "Doorstromen per provincie en cohortjaar")["Brussel"] == [
        "2",
        "1",
        "2",
        "3",
        "8",
    ]
    assert text_table(public, "Doorstromen per provincie en cohortjaar")["Brussel"] == ["x"] * 4 + ["8"]
    assert INTERNAL_WARNING in (tmp_path / f"{stem}{INTERNAL_SUFFIX}.md").read_text(encoding="utf-8")
    assert INTERNAL_WARNING not in (tmp_path / f"{stem}.md").read_text(encoding="utf-8")
    assert INTERNAL_WARNING in internal.err
    assert "Disclosure audit, k = 5" in public and "passed" in public
    assert "Disclosure audit" not in internal.out


def test_k_is_configurable(published: Path, answer: Answer) -> None:
    three = build(published, 2019, 2022, k=3)
    assert three.audit is not None and three.audit.passed and three.audit.k == 3
    assert not [v for _, _, v in counts(three.data) if isinstance(v, int) and 0 < v < 3]
    assert rule(3) in three.text
    hidden = sum(t.hidden for t in three.audit.tables)
    assert answer.audit is not None and 0 < hidden < sum(t.hidden for t in answer.audit.tables)


def test_the_release_links_the_tables_that_share_margins(answer: Answer, exact: Answer) -> None:
    cells, unpublished = release(exact.data)
    linked = {(r.total, r.parts) for r in cells.relations if len(r.parts) == 1}
    for province in OFFICIAL_TRANSITIONS:
        margin = Key("transitions", province, "doorstromen")
        for other in (
            Key("transitions_by_year", province, TOTAL),
            Key("transitions_by_sector", TOTAL, province),
            Key("returns", province, "doorstromen"),
            Key("kpis", province, "doorstromen"),
        ):
            assert (margin, (other,)) in linked, other
        assert (Key("returns", province, "terugkeer"), (Key("returns_by_year", province, TOTAL),)) in linked
    assert cells.values[Key("transitions", TOTAL, "doorstromen")] == 2627
    assert cells.values[Key("returns", TOTAL, "terugkeer")] == 487
    # The complements a share prints implicitly are in the release, unpublished.
    assert Key("kpis", "Brussel", "niet duurzaam") in unpublished
    assert cells.values[Key("kpis", "Brussel", "niet duurzaam")] == 1  # 8 known, 7 sustained
    assert Key("kpis", "Brussel", "duurzaamheid gekend") not in unpublished


def test_the_2008_section_of_each_2025_section_is_the_seed_s(published: Path) -> None:
    """The release links each 2008 sector cell to the cells of its 2025 sections as the
    published transitions pair them; the pairs are those of the seed (contract appendix E)."""
    seed = Path(__file__).parent.parent / "seeds" / "nace_division_conversion.csv"
    with seed.open(encoding="utf-8") as f:
        pairs = {(r["nace_section_2025"], r["nace_section"]) for r in csv.DictReader(f)} | {("?", "?")}
    assert len({s for s, _ in pairs}) == len(pairs)  # each 2025 section lies in one 2008 section
    q2_2025 = build(published, 2022, 2024).data.q2_2025
    assert q2_2025 is not None
    found = {(p.nace_section_2025, p.nace_section) for p in q2_2025.section_pairs}
    assert found and found <= pairs
    assert ("K", "J") in found  # IT and telecom: K in 2025, J in 2008
