"""The presentation model: what the report shows, built once, rendered as text, Markdown or HTML.

Labels are Dutch (the audience is Flemish); numbers are formatted the Flemish way
(1.234 and 12,3 %). A cell holds its raw value; its column says how to format it.
A section carries its tables and the data of its charts, so no renderer reads figures
from anywhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

TOTAL = "Totaal"
MISSING = "\u2013"  # en dash
PROVISIONAL_MARK = "*"
SUPPRESSED_MARK = "x"  # a cell hidden by disclosure control (vertrouwelijk)
SUPPRESSED_MEANING = "niet gepubliceerd (te weinig personen)"  # the legend of the mark, everywhere
SUPPRESSED_LEGEND = f"{SUPPRESSED_MARK}: {SUPPRESSED_MEANING}"  # the legend line wherever an x is shown


@dataclass(frozen=True)
class Suppressed:
    """A cell hidden by disclosure control: its value is not in the release. ``primary``:
    hidden for its own sake (a count of 1 to k-1, a rate on fewer than k units); else
    hidden so that a primary cell cannot be recomputed from the others."""

    primary: bool = True


Kind = Literal["text", "int", "pct", "days"]
Value = str | int | float | Suppressed | None
Number = int | float | Suppressed | None


def fmt(value: Value, kind: Kind = "int") -> str:
    """A cell as text: int 1.234, pct 12,3 %, days 105, text as is; None as a dash; a
    suppressed cell as x."""
    if isinstance(value, Suppressed):
        return SUPPRESSED_MARK
    if value is None:
        return MISSING
    if kind == "int":
        return f"{int(value):,}".replace(",", ".")
    if kind == "pct":
        return f"{float(value) * 100:.1f}".replace(".", ",") + " %"
    if kind == "days":
        return f"{round(float(value)):,}".replace(",", ".")
    return str(value)


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = "int"
    short: str | None = None  # label in the text table, when the full one is too wide
    text_width: int | None = None  # text table: longer text cells are shortened to this width

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Value]]  # one value per column
    total: list[Value] | None = None
    notes: list[str] = field(default_factory=list)
    legend: bool = False  # text table: print the short column labels with their full label

    def formatted(self, row: Sequence[Value]) -> list[str]:
        return [fmt(v, c.kind) for v, c in zip(row, self.columns, strict=True)]


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars: one group per category, one bar per series."""

    title: str
    caption: str
    categories: list[str]
    series: list[str]
    values: list[list[Number]]  # values[category][series]
    kind: Kind
    muted: list[str] = field(default_factory=list)  # series drawn lighter (provisional)


@dataclass(frozen=True)
class HeatMap:
    """Rows x columns of cells shaded by value."""

    title: str
    caption: str
    rows: list[str]
    columns: list[str]
    values: list[list[Number]]  # values[row][column]
    kind: Kind
    row_tips: list[str] | None = None  # full row labels (the drawn ones may be shortened)
    cell_width: int = 66
    sqrt_scale: bool = False


Chart = BarChart | HeatMap


@dataclass(frozen=True)
class Section:
    key: str  # q1 .. q5
    heading: str
    intro: str
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """The whole answer: head, summary sentence, sections and the notes for the whole report."""

    period_label: str  # 2019-2022, or 2023 for a single year
    data_cutoff: dt.date | None
    published_at: dt.datetime | None
    summary: str
    sections: list[Section]
    notes: list[str]
