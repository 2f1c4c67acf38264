"""The answer as an Excel workbook: a sheet "Toelichting" with the report's head and notes,
then one sheet per table, numbers as numbers.

Each table sheet has the table's title, the section it belongs to, the column labels as
headers, the rows and the total row (bold), and below them the notes: the table's and
its section's, the provisional note when the table holds provisional figures (marked
with PROVISIONAL_MARK as in the other renderers), and the legends of ``x`` (a suppressed
cell) and of the dash (no figure) when the table has such a cell. Counts are integers
with a thousands separator, rates and shares fractions with a percent format, days
numbers; Excel shows the separators of the reader's locale (1.234 and 9,1 % in Flemish
settings). A suppressed cell is the text ``x`` with a comment saying why.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .model import (
    MISSING,
    PROVISIONAL_MARK,
    SUPPRESSED_LEGEND,
    SUPPRESSED_MARK,
    Kind,
    Report,
    Section,
    Suppressed,
    Table,
    Value,
)

INTRO_SHEET = "Toelichting"
TITLE_ROW = 1  # the table's title
SECTION_ROW = 2  # the section (question) it belongs to
HEADER_ROW = 4  # the column labels; the rows follow
FORMATS: dict[Kind, str] = {"int": "#,##0", "pct": "0.0%", "days": "#,##0"}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
NO_VALUE_LEGEND = f"{MISSING}: geen cijfer"
SUPPRESSED_PRIMARY = "Niet gepubliceerd: te weinig personen."
SUPPRESSED_SECONDARY = "Niet gepubliceerd: zou een cel met te weinig personen laten herberekenen."
PROVISIONAL_FALLBACK = f"{PROVISIONAL_MARK} voorlopig: deze cijfers kunnen nog stijgen."
MAX_SHEET_NAME = 31  # Excel's limit
FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
SUBTLE = Font(italic=True, color="555555")
RULE = Side(style="thin", color="000000")
WRAP = Alignment(wrap_text=True, vertical="top")


def sheet_name(table: Table, taken: Iterable[str]) -> str:
    """The table's key and the start of its title (up to a comma, a colon or a bracket), cut at
    a word to Excel's 31 characters, without the characters Excel forbids, unique in ``taken``."""
    short = re.split(r",|:| \(", table.title, maxsplit=1)[0]
    words = FORBIDDEN_IN_SHEET_NAME.sub("", f"{table.key} {short}").split()
    name = words[0][:MAX_SHEET_NAME]
    for word in words[1:]:
        if len(name) + 1 + len(word) > MAX_SHEET_NAME:
            break
        name += " " + word
    name = name.strip("'") or "tabel"
    used = {t.lower() for t in taken}
    candidate, n = name, 1
    while candidate.lower() in used:  # Excel compares sheet names case-insensitively
        n += 1
        suffix = f" ({n})"
        candidate = name[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
    return candidate


def _has_mark(table: Table) -> bool:
    texts = [table.title, *(c.label for c in table.columns)]
    texts += [v for row in [*table.rows, table.total or []] for v in row if isinstance(v, str)]
    return any(PROVISIONAL_MARK in t for t in texts)


def _suppressed(table: Table) -> bool:
    return any(isinstance(v, Suppressed) for row in [*table.rows, table.total or []] for v in row)


def _no_value(table: Table) -> bool:
    return any(v is None for row in [*table.rows, table.total or []] for v in row)


def _is_provisional_note(note: str) -> bool:
    return note.startswith((f"({PROVISIONAL_MARK})", PROVISIONAL_MARK))


def _provisional_note(report: Report, section: Section) -> str:
    """The note that explains the provisional mark: the section's own, or that of another table
    of the section (the years of a section can differ from the report's), else the report's."""
    others = [n for t in section.tables for n in t.notes]
    return next(
        (n for n in [*section.notes, *others, *report.notes] if _is_provisional_note(n)), PROVISIONAL_FALLBACK
    )


def _write_cell(ws: Worksheet, row: int, col: int, value: Value, kind: Kind, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=col)
    numeric = kind != "text"
    if isinstance(value, Suppressed):
        cell.value = SUPPRESSED_MARK
        cell.comment = Comment(SUPPRESSED_PRIMARY if value.primary else SUPPRESSED_SECONDARY, "doorstroom")
    elif value is None:
        cell.value = MISSING
    elif not numeric or isinstance(value, str):
        cell.value = value if value != "" else None  # the empty label of a total row stays empty
    elif kind == "int":
        cell.value = int(value)
        cell.number_format = FORMATS["int"]
    else:
        number = float(value)
        cell.value = int(number) if kind == "days" and number.is_integer() else number
        cell.number_format = FORMATS[kind]
    cell.alignment = Alignment(horizontal="right" if numeric else "left", vertical="top")
    if bold:
        cell.font = BOLD


def _display_width(value: Value, kind: Kind) -> int:
    """About how many characters the cell shows (for the column width)."""
    if isinstance(value, Suppressed) or value is None:
        return 1
    if isinstance(value, str) or kind == "text":
        return len(str(value))
    if kind == "pct":
        return len(f"{float(value) * 100:.1f} %")
    return len(f"{round(float(value)):,}")


def _notes(ws: Worksheet, first_row: int, notes: list[str], width: int, chars_per_line: float) -> int:
    """Each note in its own row, merged over ``width`` columns, wrapped; returns the next free row."""
    row = first_row
    for note in notes:
        cell = ws.cell(row=row, column=1, value=note)
        cell.alignment = WRAP
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        lines = max(1, math.ceil(len(note) / max(chars_per_line, 20)))
        ws.row_dimensions[row].height = 15 * lines + 2
        row += 1
    return row


def _table_sheet(ws: Worksheet, report: Report, section: Section, table: Table) -> None:
    ws.cell(row=TITLE_ROW, column=1, value=table.title).font = TITLE
    ws.cell(row=SECTION_ROW, column=1, value=section.heading).font = SUBTLE
    for col, column in enumerate(table.columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=column.label)
        cell.font = BOLD
        cell.border = Border(bottom=RULE)
        cell.alignment = Alignment(
            horizontal="right" if column.numeric else "left", vertical="bottom", wrap_text=True
        )
    row = HEADER_ROW + 1
    for values in table.rows:
        for col, (value, column) in enumerate(zip(values, table.columns, strict=True), start=1):
            _write_cell(ws, row, col, value, column.kind)
        row += 1
    if table.total is not None:
        for col, (value, column) in enumerate(zip(table.total, table.columns, strict=True), start=1):
            _write_cell(ws, row, col, value, column.kind, bold=True)
            ws.cell(row=row, column=col).border = Border(top=RULE)
        row += 1

    widths = []
    for col, column in enumerate(table.columns):
        cells = [r[col] for r in [*table.rows, *([table.total] if table.total else [])]]
        content = max([_display_width(v, column.kind) for v in cells] or [1])
        if column.numeric:  # headers wrap: a long label takes two or three lines
            width = max(content, min(len(column.label), 16), 6) + 2
        else:
            width = min(max(content, len(column.label), 6), 60) + 2
        widths.append(width)
        ws.column_dimensions[get_column_letter(col + 1)].width = width
    if any(w >= 60 for w in widths):  # long texts (section names) wrap
        for r in range(HEADER_ROW + 1, row):
            for col, column in enumerate(table.columns, start=1):
                if not column.numeric:
                    ws.cell(row=r, column=col).alignment = WRAP
    header_lines = max(
        math.ceil(len(c.label) / max(w - 2, 1)) for c, w in zip(table.columns, widths, strict=True)
    )
    ws.row_dimensions[HEADER_ROW].height = 15 * max(header_lines, 1) + 2

    notes = [*table.notes, *section.notes]
    if _has_mark(table) and not any(_is_provisional_note(n) for n in notes):
        notes.append(_provisional_note(report, section))
    if _suppressed(table):
        notes.append(SUPPRESSED_LEGEND)
    if _no_value(table):
        notes.append(NO_VALUE_LEGEND)
    _notes(ws, row + 1, notes, len(table.columns), sum(widths) * 1.1)

    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape" if sum(widths) > 100 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _intro_sheet(ws: Worksheet, report: Report, sheets: list[tuple[Section, Table, str]]) -> None:
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 100
    ws.cell(
        row=1, column=1, value=f"Doorstroom uit collectief maatwerk: cohortjaren {report.period_label}"
    ).font = TITLE
    head: list[tuple[str, object, str | None]] = [
        ("Cohortjaren", report.period_label, None),
        ("Gegevens tot en met", report.data_cutoff, DATE_FORMAT),
        ("Gepubliceerd op", report.published_at, DATETIME_FORMAT),
    ]
    row = 3
    for label, value, number_format in head:
        ws.cell(row=row, column=1, value=label).font = BOLD
        cell = ws.cell(row=row, column=2, value=value if value is not None else MISSING)
        cell.alignment = Alignment(horizontal="left")
        if number_format and isinstance(value, dt.date):
            cell.number_format = number_format
        row += 1

    def text(label: str, value: str, font: Font | None = None) -> None:
        nonlocal row
        if label:
            ws.cell(row=row, column=1, value=label).font = BOLD
        cell = ws.cell(row=row, column=2, value=value)
        cell.alignment = WRAP
        if font:
            cell.font = font
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(value) / 105)) + 2
        row += 1

    row += 1
    text("Samenvatting", report.summary)
    for i, note in enumerate(report.notes):
        text("Opmerkingen" if i == 0 else "", note)
    if any(_suppressed(t) for _, t, _ in sheets):
        text("" if report.notes else "Opmerkingen", SUPPRESSED_LEGEND)

    row += 1
    ws.cell(row=row, column=1, value="Tabellen").font = TITLE
    row += 1
    current = None
    for section, table, name in sheets:
        if section is not current:
            current = section
            row += 1
            ws.cell(row=row, column=1, value=section.heading).font = BOLD
            row += 1
            text("", section.intro.replace("`", ""), SUBTLE)  # Markdown's code marks
        link = ws.cell(row=row, column=1, value=name)
        quoted = name.replace("'", "''")
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A1")
        link.style = "Hyperlink"
        ws.cell(row=row, column=2, value=table.title).alignment = WRAP
        row += 1
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def workbook(report: Report) -> Workbook:
    """The workbook: "Toelichting", then a sheet per table in the report's order."""
    book = Workbook()
    intro = book.active
    intro.title = INTRO_SHEET
    sheets: list[tuple[Section, Table, str]] = []
    taken = [INTRO_SHEET]
    for section in report.sections:
        for table in section.tables:
            name = sheet_name(table, taken)
            taken.append(name)
            sheets.append((section, table, name))
            _table_sheet(book.create_sheet(name), report, section, table)
    _intro_sheet(intro, report, sheets)
    book.properties.title = f"Doorstroom uit collectief maatwerk: cohortjaren {report.period_label}"
    book.properties.language = "nl-BE"
    return book


def render(report: Report) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    out = io.BytesIO()
    workbook(report).save(out)
    return out.getvalue()
