"""The answer as an Excel workbook (issue 16): a sheet per table, Dutch headers, numbers as
numbers, the total row, provisional figures and suppressed cells marked.

The demo answer is rendered from the published demo file and read back with openpyxl;
suppressed cells are checked on a small hand-made report.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dagster_project.answer import Answer, build, main, write
from dagster_project.answer.excel import (
    HEADER_ROW,
    INTRO_SHEET,
    SECTION_ROW,
    SUPPRESSED_LEGEND,
    TITLE_ROW,
    render,
    sheet_name,
)
from dagster_project.answer.model import (
    MISSING,
    PROVISIONAL_MARK,
    SUPPRESSED_MARK,
    TOTAL,
    Column,
    Kind,
    Report,
    Section,
    Suppressed,
    Table,
    Value,
)

from .official import OFFICIAL_RETURNS, OFFICIAL_TRANSITIONS


@pytest.fixture(scope="module")
def published(demo_pipeline: dict) -> Path:
    return demo_pipeline["settings"].published


@pytest.fixture(scope="module")
def answer(published: Path) -> Answer:
    return build(published, 2019, 2022)


def workbook_of(answer: Answer, out: Path) -> Workbook:
    """The workbook as ``write`` puts it next to the Markdown and HTML files, read back."""
    md, page, book = write(answer, out)
    assert book == md.with_suffix(".xlsx") and book.parent == page.parent
    return load_workbook(book)


@pytest.fixture(scope="module")
def book(answer: Answer, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    return workbook_of(answer, tmp_path_factory.mktemp("xlsx"))


def tables_of(report: Report) -> list[Table]:
    return [t for s in report.sections for t in s.tables]


def body(ws: Worksheet, table: Table) -> list[list]:
    """The cells of the table's rows (and total row) on its sheet, below the header."""
    rows = len(table.rows) + (table.total is not None)
    return [
        list(r)
        for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + rows, max_col=len(table.columns))
    ]


def notes_below(ws: Worksheet, table: Table) -> list[str]:
    first = HEADER_ROW + len(table.rows) + (table.total is not None) + 1
    return [r[0].value for r in ws.iter_rows(min_row=first, max_col=1) if r[0].value]


def assert_cell(cell, value: Value, kind: Kind) -> None:
    """A cell as the model holds it: numbers as numbers with their format; x and the dash as text."""
    if isinstance(value, Suppressed):
        assert cell.value == SUPPRESSED_MARK and cell.comment is not None
    elif value is None:
        assert cell.value == MISSING
    elif kind == "text" or isinstance(value, str):
        assert cell.value == (value or None)
    elif kind == "int":
        assert isinstance(cell.value, int) and not isinstance(cell.value, bool)
        assert cell.value == value and cell.data_type == "n"
        assert cell.number_format == "#,##0"
    elif kind == "pct":  # a fraction with a percent format, as stored in the model
        assert isinstance(cell.value, int | float) and cell.data_type == "n"
        assert cell.value == pytest.approx(float(value)) and 0 <= cell.value <= 10
        assert cell.number_format.endswith("%")
    else:  # days
        assert isinstance(cell.value, int | float) and cell.data_type == "n"
        assert cell.value == pytest.approx(float(value))


def test_a_sheet_per_table_after_the_toelichting(answer: Answer, book: Workbook) -> None:
    tables = tables_of(answer.report)
    assert len(book.sheetnames) == 1 + len(tables)
    assert book.sheetnames[0] == INTRO_SHEET
    assert len({n.lower() for n in book.sheetnames}) == len(book.sheetnames)
    for name, table in zip(book.sheetnames[1:], tables, strict=True):
        assert len(name) <= 31
        assert name.startswith(table.key + " ") or name == table.key
        ws = book[name]
        assert ws[f"A{TITLE_ROW}"].value == table.title
        assert ws[f"A{SECTION_ROW}"].value.startswith("Vraag ")
    assert book.sheetnames[1:4] == [
        "q1 Doorstroom naar het NEC per",
        "q1_by_year Doorstromen per",
        "q2 Doorstromen per sector",
    ]


def test_headers_are_the_dutch_column_labels(answer: Answer, book: Workbook) -> None:
    for name, table in zip(book.sheetnames[1:], tables_of(answer.report), strict=True):
        header = [c.value for c in book[name][HEADER_ROW][: len(table.columns)]]
        assert header == [c.label for c in table.columns]
    assert [c.value for c in book[book.sheetnames[1]][HEADER_ROW]] == [
        "provincie",
        "afgesloten WOP's",
        "doorstromen",
        "doorstroomgraad",
    ]


def test_numbers_are_numbers_with_their_format(answer: Answer, book: Workbook) -> None:
    kinds = set()
    for name, table in zip(book.sheetnames[1:], tables_of(answer.report), strict=True):
        rows = [*table.rows, *([table.total] if table.total is not None else [])]
        for cells, values in zip(body(book[name], table), rows, strict=True):
            for cell, value, column in zip(cells, values, table.columns, strict=True):
                assert_cell(cell, value, column.kind)
                kinds.add(column.kind)
    assert kinds == {"text", "int", "pct", "days"}  # every kind was checked
    q1 = book[book.sheetnames[1]]
    antwerpen = [c.value for c in q1[HEADER_ROW + 1]]
    assert antwerpen[:3] == ["Antwerpen", 8047, 742]
    assert antwerpen[3] == pytest.approx(742 / 8047)  # 9,2 % in a Flemish Excel
    assert q1.cell(HEADER_ROW + 1, 4).number_format == "0.0%"


def test_the_total_row_is_last_and_bold(answer: Answer, book: Workbook) -> None:
    for name, table in zip(book.sheetnames[1:], tables_of(answer.report), strict=True):
        if table.total is None:
            continue
        total = body(book[name], table)[-1]
        assert [c.font.b for c in total] == [True] * len(table.columns)
        assert TOTAL in [c.value for c in total]
    q1, q3 = book[book.sheetnames[1]], book["q3 Terugkeer naar een WOP na"]
    assert [c.value for c in q1[HEADER_ROW + 9]][:3] == [TOTAL, 28903, sum(OFFICIAL_TRANSITIONS.values())]
    assert [c.value for c in q3[HEADER_ROW + 9]] == [
        TOTAL,
        sum(OFFICIAL_TRANSITIONS.values()),
        sum(OFFICIAL_RETURNS.values()),
    ]


def test_the_toelichting_has_the_head_and_the_notes(answer: Answer, book: Workbook) -> None:
    intro = book[INTRO_SHEET]
    cells = {r[0].value: r[1].value for r in intro.iter_rows(max_col=2) if r[0].value}
    assert intro["A1"].value == "Doorstroom uit collectief maatwerk: cohortjaren 2019-2022"
    assert cells["Cohortjaren"] == "2019-2022"
    assert cells["Gegevens tot en met"].date() == answer.report.data_cutoff == dt.date(2025, 6, 30)
    assert abs(cells["Gepubliceerd op"] - answer.report.published_at) < dt.timedelta(seconds=1)
    assert cells["Samenvatting"] == answer.report.summary
    texts = [r[1].value for r in intro.iter_rows(max_col=2)]
    assert all(note in texts for note in answer.report.notes)
    links = [r[0].hyperlink.location for r in intro.iter_rows(max_col=1) if r[0].hyperlink]
    assert links == [f"'{n}'!A1" for n in book.sheetnames[1:]]  # a link to every table


def test_provisional_years_are_marked_and_explained(published: Path, tmp_path: Path) -> None:
    answer = build(published, 2022, 2024)
    book = workbook_of(answer, tmp_path)
    provisional = next(n for n in answer.report.notes if n.startswith(f"({PROVISIONAL_MARK}) Voorlopig"))
    marked = 0
    for name, table in zip(book.sheetnames[1:], tables_of(answer.report), strict=True):
        ws = book[name]
        labels = [c.value for c in ws[HEADER_ROW]]
        texts = [ws[f"A{TITLE_ROW}"].value, *labels, *(c.value for r in body(ws, table) for c in r)]
        if any(isinstance(t, str) and PROVISIONAL_MARK in t for t in texts):
            marked += 1
            notes = notes_below(ws, table)
            assert any(n.startswith(f"({PROVISIONAL_MARK}) Voorlopig") for n in notes), name
    assert marked >= 10
    by_year = book["q1_by_year Doorstromen per"]
    assert [c.value for c in by_year[HEADER_ROW]] == ["provincie", "2022", "2023*", "2024*", TOTAL]
    assert by_year[f"A{TITLE_ROW}"].value.endswith(f"({PROVISIONAL_MARK})")
    assert notes_below(by_year, tables_of(answer.report)[1])[0] == provisional  # the first note


def test_the_cli_writes_the_workbook_next_to_the_other_files(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["--from", "2019", "--to", "2022", "--database", str(published), "--out", str(tmp_path)]) == 0
    book = tmp_path / "answer_2019-2022.xlsx"
    assert str(book) in capsys.readouterr().out
    assert load_workbook(book).sheetnames[0] == INTRO_SHEET


# ------------------------------------------------------------------ a hand-made report


def hand_made() -> Report:
    table = Table(
        key="t1",
        title=f"Doorstromen per provincie, cohortjaren 2023-2024 ({PROVISIONAL_MARK})",
        columns=[
            Column("provincie", "text"),
            Column("2023"),
            Column(f"2024{PROVISIONAL_MARK}"),
            Column("doorstroomgraad", "pct"),
            Column("mediaan dagen", "days"),
        ],
        rows=[
            ["Antwerpen", 1234, Suppressed(primary=True), 0.125, 105],
            ["Brussel", 0, Suppressed(primary=False), None, None],
        ],
        total=[TOTAL, 1234, 57, 0.1, 104.5],
        notes=["Een opmerking bij de tabel."],
    )
    same_key = Table(key="t1", title="Doorstromen per provincie: bis", columns=[Column("a", "text")], rows=[])
    return Report(
        period_label="2023-2024",
        data_cutoff=dt.date(2025, 6, 30),
        published_at=dt.datetime(2025, 7, 1, 2, 0),
        summary="Een zin.",
        sections=[Section(key="Q1", heading="Vraag 1", intro="Inleiding met `?`.", tables=[table, same_key])],
        notes=[f"({PROVISIONAL_MARK}) Voorlopig: cohortjaar 2024 kan nog stijgen."],
    )


def test_suppressed_cells_are_x_with_a_comment_and_a_legend() -> None:
    report = hand_made()
    book = load_workbook(io.BytesIO(render(report)))
    assert book.sheetnames == [INTRO_SHEET, "t1 Doorstromen per provincie", "t1 Doorstromen per provinci (2)"]
    ws = book["t1 Doorstromen per provincie"]
    table = report.sections[0].tables[0]
    antwerpen, brussel, total = body(ws, table)
    assert [c.value for c in antwerpen] == ["Antwerpen", 1234, SUPPRESSED_MARK, 0.125, 105]
    assert antwerpen[2].comment.text == "Niet gepubliceerd: te weinig personen."
    assert brussel[2].value == SUPPRESSED_MARK and "herberekenen" in brussel[2].comment.text
    assert [c.value for c in brussel[3:]] == [MISSING, MISSING]
    assert antwerpen[1].number_format == "#,##0" and antwerpen[3].number_format == "0.0%"
    assert [c.value for c in total] == [TOTAL, 1234, 57, 0.1, 104.5]
    assert notes_below(ws, table) == [
        "Een opmerking bij de tabel.",
        report.notes[0],  # the provisional note next to the marked table
        SUPPRESSED_LEGEND,
        f"{MISSING}: geen cijfer",
    ]
    assert SUPPRESSED_LEGEND == "x: niet gepubliceerd (te weinig personen)"
    intro_texts = [r[1].value for r in book[INTRO_SHEET].iter_rows(max_col=2)]
    assert SUPPRESSED_LEGEND in intro_texts and "Inleiding met ?." in intro_texts


def test_sheet_names_fit_excel() -> None:
    def table(key: str, title: str) -> Table:
        return Table(key=key, title=title, columns=[], rows=[])

    assert sheet_name(table("q4_sustained_share", "Aandeel duurzame doorstroom, per jaar"), []) == (
        "q4_sustained_share Aandeel"
    )
    assert (
        sheet_name(table("q5_by_year", "Evaluaties per jaar: aanleiding"), [])
        == "q5_by_year Evaluaties per jaar"
    )
    assert sheet_name(table("k", "Buiten Brussel/Vlaanderen [x]? *"), []) == "k Buiten BrusselVlaanderen x"
    assert sheet_name(table("k", "Titel"), ["K TITEL"]) == "k Titel (2)"
    long = sheet_name(table("a_key_that_is_far_too_long_for_excel_alone", "Titel"), [])
    assert long == "a_key_that_is_far_too_long_for_"
