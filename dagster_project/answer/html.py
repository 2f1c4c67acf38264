"""The answer as one self-contained HTML file: inline CSS, inline SVG charts, no script, no links out.

The page fits a 1280 px screen and an A4 portrait page without sideways scrolling: column
headers wrap, and a table too wide for the page in print (estimated from its longest words and
numbers) shows the short labels of its columns there, with a line that spells them out. The
note on provisional figures stands under the first table that holds them (and at the end), a
note on hidden cells under every table that holds one.
"""

from __future__ import annotations

from html import escape

from . import charts
from .model import PROVISIONAL_MARK, BarChart, Chart, Column, Report, Suppressed, Table, Value, fmt

# The printed page: A4 portrait and its margins (mm); the text width in CSS px (96 per inch).
PAGE_MARGIN_MM = {"top": 14, "right": 12, "bottom": 16, "left": 12}
A4_WIDTH_MM = 210
A4_TEXT_WIDTH_PX = (A4_WIDTH_MM - PAGE_MARGIN_MM["left"] - PAGE_MARGIN_MM["right"]) / 25.4 * 96
# On a screen the text column is at most 1100 px wide, less its padding: all of it at 1280 px.
BODY_WIDTH_PX, BODY_PADDING_PX = 1100, 16
SCREEN_TEXT_WIDTH_PX = BODY_WIDTH_PX - 2 * BODY_PADDING_PX
# The table font and the cells' side padding, in px (96 px = 72 pt): on screen and in print (8 pt, 3 pt).
SCREEN_TABLE = {"font": 13.0, "pad": 6.0}
PRINT_TABLE = {"font": 32 / 3, "pad": 4.0}

_MARGIN = " ".join(f"{PAGE_MARGIN_MM[s]}mm" for s in ("top", "right", "bottom", "left"))
CSS = f"""
:root {{ --ink:#1d2733; --muted:#5b6775; --line:#d6dde5; --head:#eef3f8; --accent:#0b4f8a; }}
* {{ box-sizing: border-box; }}
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       max-width: {BODY_WIDTH_PX}px; margin: 2rem auto; padding: 0 {BODY_PADDING_PX}px; line-height: 1.45; }}
h1 {{ font-size: 1.6rem; margin-bottom: .2rem; color: var(--accent); }}
h2 {{ font-size: 1.25rem; margin-top: 2.4rem; border-bottom: 2px solid var(--accent);
      padding-bottom: .2rem; }}
p.meta {{ color: var(--muted); margin-top: 0; }}
p.summary {{ font-size: 1.05rem; background: var(--head); padding: .7rem 1rem; border-radius: 4px; }}
.table-wrap {{ overflow-x: auto; max-width: 100%; }}
table {{ border-collapse: collapse; margin: 1rem 0 .4rem; font-size: {SCREEN_TABLE["font"]:g}px; }}
caption {{ text-align: left; font-weight: 600; padding-bottom: .35rem; }}
th, td {{ border-bottom: 1px solid var(--line); padding: .2rem {SCREEN_TABLE["pad"]:g}px;
          vertical-align: top; }}
thead th {{ background: var(--head); text-align: left; vertical-align: bottom; hyphens: manual; }}
th.num, td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.num {{ white-space: nowrap; }}
tfoot td {{ font-weight: 700; border-top: 2px solid var(--ink); }}
abbr.short {{ text-decoration: none; }}
.short, .short-legend {{ display: none; }}
.note, .footnote {{ color: var(--muted); font-size: .85rem; }}
.note {{ margin: .3rem 0; }}
.footnote {{ border-top: 1px solid var(--line); margin-top: 2.5rem; padding-top: .6rem; }}
figure {{ margin: 1.2rem 0; }}
figcaption {{ color: var(--muted); font-size: .85rem; }}
svg.chart {{ display: block; max-width: 100%; height: auto; }}
.short-labels-always .full {{ display: none; }}
.short-labels-always .short {{ display: inline; }}
.short-labels-always .short-legend {{ display: block; }}
@media print, screen and (max-width: 900px) {{
  .short-labels-print .full {{ display: none; }}
  .short-labels-print .short {{ display: inline; }}
  .short-labels-print .short-legend {{ display: block; }}
}}
@page {{ size: A4 portrait; margin: {_MARGIN}; }}
@media print {{
  body {{ max-width: none; margin: 0; padding: 0; font-size: 10pt; line-height: 1.35; }}
  h1 {{ font-size: 16pt; }}
  h2 {{ font-size: 13pt; margin-top: 1.4rem; break-after: avoid; }}
  table {{ font-size: {PRINT_TABLE["font"] * 0.75:g}pt; margin: .6rem 0 .3rem; }}
  caption {{ font-size: 9pt; break-after: avoid; }}
  th, td {{ padding: 1pt {PRINT_TABLE["pad"] * 0.75:g}pt; }}
  .table-wrap {{ overflow: visible; }}
  .note, .footnote, figcaption {{ font-size: 8pt; }}
  thead {{ display: table-header-group; }}
  tr, figure {{ break-inside: avoid; }}
  p.summary {{ border: 1px solid var(--line); }}
}}
"""


def _words(text: str) -> list[str]:
    """The pieces a browser may wrap ``text`` into: words, split after a hyphen or a slash."""
    return text.replace("-", "- ").replace("/", "/ ").split()


def _column_width(table: Table, index: int, column: Column, font: float, pad: float, short: bool) -> float:
    label = column.short if short and column.short else column.label
    widths = [charts.text_width(w, font, bold=True) for w in _words(label)]
    rows = [*table.rows, *([table.total] if table.total is not None else [])]
    for r in rows:
        text = fmt(r[index], column.kind)
        bold = r is table.total
        if column.numeric:
            widths.append(charts.text_width(text, font, bold))
        else:
            widths += [charts.text_width(w, font, bold) for w in _words(text)]
    return max(widths, default=0.0) + 2 * pad + 1


def min_width(table: Table, font: float, pad: float, short: bool = False) -> float:
    """The estimated narrowest width of ``table`` in px: every column as wide as its longest word
    or number (headers bold, numbers never wrapped)."""
    return sum(_column_width(table, i, c, font, pad, short) for i, c in enumerate(table.columns))


def short_labels(table: Table) -> str | None:
    """Where ``table`` shows the short labels of its columns (when it has them): "print" when its
    full labels make it too wide for the printed page (short labels in print and on narrow
    screens), "always" when they make it too wide for a wide screen too; else None."""
    if not any(c.short for c in table.columns):
        return None
    if min_width(table, SCREEN_TABLE["font"], SCREEN_TABLE["pad"]) > SCREEN_TEXT_WIDTH_PX:
        return "always"
    if min_width(table, PRINT_TABLE["font"], PRINT_TABLE["pad"]) > 0.95 * A4_TEXT_WIDTH_PX:
        return "print"
    return None


def has_provisional(table: Table) -> bool:
    """Whether ``table`` holds provisional figures: its title, a column or a row is marked."""
    mark = f"({PROVISIONAL_MARK})"
    return (
        mark in table.title
        or any(c.label.endswith(PROVISIONAL_MARK) for c in table.columns)
        or any(isinstance(v, str) and v.endswith(PROVISIONAL_MARK) for r in table.rows for v in r)
    )


def has_suppressed(table: Table) -> bool:
    rows = [*table.rows, *([table.total] if table.total is not None else [])]
    return any(isinstance(v, Suppressed) for r in rows for v in r)


def _label(text: str) -> str:
    """A header label, with a line break allowed after a slash."""
    return escape(text).replace("/", "/<wbr>")


def _head(column: Column, short: bool) -> str:
    cls = "num" if column.numeric else "txt"
    if short and column.short:
        return (
            f'<th class="{cls}" scope="col"><span class="full">{_label(column.label)}</span>'
            f'<abbr class="short" title="{escape(column.label)}">{escape(column.short)}</abbr></th>'
        )
    return f'<th class="{cls}" scope="col">{_label(column.label)}</th>'


def render_table(table: Table, extra_notes: list[str] | None = None) -> str:
    short = short_labels(table)
    head = "".join(_head(c, short is not None) for c in table.columns)

    def row(values: list[Value]) -> str:
        cells = []
        for value, text, c in zip(values, table.formatted(values), table.columns, strict=True):
            cls = "num" if c.numeric else "txt"
            if isinstance(value, Suppressed):
                meaning = escape(charts.SUPPRESSED_MEANING)
                cells.append(f'<td class="{cls} suppressed" title="{meaning}">{escape(text)}</td>')
            else:
                cells.append(f'<td class="{cls}">{escape(text)}</td>')
        return "<tr>" + "".join(cells) + "</tr>"

    parts = [
        f'<div class="table-block{f" short-labels-{short}" if short else ""}">',
        f'<div class="table-wrap"><table id="table-{escape(table.key)}">',
        f"<caption>{escape(table.title)}</caption>",
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>" + "".join(row(r) for r in table.rows) + "</tbody>",
    ]
    if table.total is not None:
        parts.append(f"<tfoot>{row(table.total)}</tfoot>")
    parts.append("</table></div>")
    parts += [f'<p class="note">{escape(n)}</p>' for n in table.notes]
    if has_suppressed(table):
        parts.append(f'<p class="note suppressed-note">{escape(charts.SUPPRESSED_NOTE)}</p>')
    parts += [f'<p class="note provisional-note">{escape(n)}</p>' for n in extra_notes or []]
    if short:
        legend = "; ".join(f"{c.short}: {c.label}" for c in table.columns if c.short)
        parts.append(f'<p class="note short-legend">{escape(legend)}</p>')
    parts.append("</div>")
    return "".join(parts)


def render_chart(chart: Chart) -> str:
    """A chart of a section as a figure with its caption."""

    def number(v: Value) -> str:
        return fmt(v, chart.kind)

    if isinstance(chart, BarChart):
        svg = charts.grouped_bars(
            chart.title, chart.categories, chart.series, chart.values, number, muted=chart.muted
        )
    else:
        svg = charts.heatmap(
            chart.title,
            chart.rows,
            chart.columns,
            chart.values,
            number,
            row_tips=chart.row_tips,
            cell_w=chart.cell_width,
            sqrt_scale=chart.sqrt_scale,
            kind=chart.kind,
        )
    return f"<figure>{svg}<figcaption>{escape(chart.caption)}</figcaption></figure>"


def render(report: Report, source_name: str = "doorstroom.duckdb") -> str:
    title = f"Doorstroom uit collectief maatwerk: cohortjaren {report.period_label}"
    meta = f"Gegevens tot en met {report.data_cutoff}"
    if report.published_at:
        meta += f", gepubliceerd op {report.published_at:%Y-%m-%d %H:%M}"
    meta += f". Bron: de gepubliceerde tabellen ({source_name})."
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(meta)}</p>',
        f'<p class="summary">{escape(report.summary)}</p>',
    ]
    # The report's note on provisional figures also stands under the first table that holds them.
    provisional = [n for n in report.notes if n.startswith(f"({PROVISIONAL_MARK})")]
    for section in report.sections:
        body.append(f'<section id="{escape(section.key)}"><h2>{escape(section.heading)}</h2>')
        body.append(f"<p>{escape(section.intro)}</p>")
        for table in section.tables:
            here = provisional if provisional and has_provisional(table) else []
            body.append(render_table(table, here))
            if here:
                provisional = []
        body += [f'<p class="note">{escape(n)}</p>' for n in section.notes]
        body.append("".join(render_chart(c) for c in section.charts))
        body.append("</section>")
    if report.notes:
        body.append(
            '<div class="footnote">' + "".join(f"<p>{escape(n)}</p>" for n in report.notes) + "</div>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
