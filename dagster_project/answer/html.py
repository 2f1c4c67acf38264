"""The answer as one self-contained HTML file: inline CSS, inline SVG charts, no script, no links out."""

from __future__ import annotations

from html import escape

from . import charts
from .model import BarChart, Chart, Report, Table, Value, fmt

CSS = """
:root { --ink:#1d2733; --muted:#5b6775; --line:#d6dde5; --head:#eef3f8; --accent:#0b4f8a; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       max-width: 1100px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; color: var(--accent); }
h2 { font-size: 1.25rem; margin-top: 2.4rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
p.meta { color: var(--muted); margin-top: 0; }
p.summary { font-size: 1.05rem; background: var(--head); padding: .7rem 1rem; border-radius: 4px; }
table { border-collapse: collapse; margin: 1rem 0 .4rem; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .35rem; }
th, td { border-bottom: 1px solid var(--line); padding: .22rem .55rem; vertical-align: top; }
thead th { background: var(--head); text-align: left; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
.scroll { overflow-x: auto; }
.note, .footnote { color: var(--muted); font-size: .85rem; }
.footnote { border-top: 1px solid var(--line); margin-top: 2.5rem; padding-top: .6rem; }
figure { margin: 1.2rem 0; }
figcaption { color: var(--muted); font-size: .85rem; }
svg.chart { max-width: 100%; height: auto; }
svg.chart text { fill: var(--ink); }
@media print { h2 { break-before: auto; } figure, table { break-inside: avoid; } }
"""


def render_table(table: Table) -> str:
    head = "".join(
        f'<th class="{"num" if c.numeric else "txt"}">{escape(c.label)}</th>' for c in table.columns
    )

    def row(values: list[Value]) -> str:
        cells = table.formatted(values)
        return (
            "<tr>"
            + "".join(
                f'<td class="{"num" if c.numeric else "txt"}">{escape(v)}</td>'
                for v, c in zip(cells, table.columns, strict=True)
            )
            + "</tr>"
        )

    parts = [
        f'<div class="scroll"><table id="table-{escape(table.key)}"><caption>{escape(table.title)}</caption>',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>" + "".join(row(r) for r in table.rows) + "</tbody>",
    ]
    if table.total is not None:
        parts.append(f"<tfoot>{row(table.total)}</tfoot>")
    parts.append("</table></div>")
    parts += [f'<p class="note">{escape(n)}</p>' for n in table.notes]
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
    for section in report.sections:
        body.append(f'<section id="{escape(section.key)}"><h2>{escape(section.heading)}</h2>')
        body.append(f"<p>{escape(section.intro)}</p>")
        body += [render_table(t) for t in section.tables]
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
