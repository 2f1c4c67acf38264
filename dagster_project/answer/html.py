"""The answer as one self-contained HTML file: inline CSS, inline SVG charts, no script, no links out."""

from __future__ import annotations

from html import escape

from . import charts
from .tables import (
    PROVISIONAL_MARK,
    AnswerData,
    Section,
    Table,
    fmt,
    period_label,
    report_notes,
    summary,
    year_label,
)

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

    def row(values: list[object]) -> str:
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


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _pct(v: object) -> str:
    return fmt(v, "pct")


def _int(v: object) -> str:
    return fmt(v, "int")


def _days(v: object) -> str:
    return fmt(v, "days")


def _by_year_charts(data: AnswerData, rows: list[tuple], what: str, index: int) -> str:
    """Bars per province and cohort year from cube rows (year, province, *values)."""
    cells = {(r[0], r[1]): r[2 + index] for r in rows if r[0] is not None and r[1] is not None}
    years = {year_label(data, y): y for y in data.period.years}
    provinces = [p for p in data.provinces if any(k[1] == p for k in cells)]
    muted = [label for label, y in years.items() if y in data.period.provisional_years]
    svg = charts.grouped_bars(
        f"{what} per provincie en cohortjaar",
        provinces,
        list(years),
        lambda p, label: cells.get((years[label], p), 0),
        _int,
        muted=muted,
    )
    caption = f"{what} per provincie en cohortjaar, cohortjaren {period_label(data)}."
    if muted:
        caption += f" Lichtere balken met stippellijn ({PROVISIONAL_MARK}): voorlopige cijfers."
    return _figure(svg, caption)


def _q2_chart(data: AnswerData) -> str:
    cells = {(r[0], r[1]): r[2] for r in data.q2}
    provinces = [p for p in data.provinces if (None, p) in cells]
    sections = [(s, name) for s, name in data.sections if (s, None) in cells]
    svg = charts.heatmap(
        "Doorstromen per sector en provincie",
        [f"{s} {name}" for s, name in sections],
        provinces,
        lambda i, j: cells.get((sections[i][0], provinces[j]), 0),
        _int,
        row_tips=[f"{s} {name}" for s, name in sections],
        sqrt_scale=True,
    )
    return _figure(
        svg,
        f"Doorstromen per NACE-sectie en provincie, cohortjaren {period_label(data)} "
        "(kleur naar de vierkantswortel van het aantal, zodat ook kleine aantallen zichtbaar zijn).",
    )


def _q4_charts(data: AnswerData) -> str:
    kpis = {(k.cohort_year, k.province): k for k in data.q4 or []}
    provinces = [p for p in data.provinces if (None, p) in kpis]
    years = data.period.years
    columns = [year_label(data, y) for y in years]
    rate = charts.heatmap(
        "Doorstroomgraad per provincie en cohortjaar",
        provinces,
        columns,
        lambda i, j: getattr(kpis.get((years[j], provinces[i])), "transition_rate", None),
        _pct,
        cell_w=72,
    )
    metrics = {
        "doorstroomgraad": "transition_rate",
        "aandeel duurzaam": "sustained_share",
        "terugkeergraad": "return_rate",
    }
    bars = charts.grouped_bars(
        "Doorstroomgraad, aandeel duurzaam en terugkeergraad per provincie",
        provinces,
        list(metrics),
        lambda p, m: getattr(kpis[(None, p)], metrics[m]),
        _pct,
    )
    median = charts.heatmap(
        "Mediaan aantal dagen tot de doorstroom per provincie en cohortjaar",
        provinces,
        columns,
        lambda i, j: getattr(kpis.get((years[j], provinces[i])), "median_days", None),
        _days,
        cell_w=72,
    )
    label = period_label(data)
    return "".join(
        [
            _figure(rate, f"Doorstroomgraad per provincie en cohortjaar, {label}."),
            _figure(bars, f"Doorstroomgraad, aandeel duurzaam en terugkeergraad per provincie, {label}."),
            _figure(median, f"Mediaan aantal dagen van het einde van de WOP tot de doorstroom, {label}."),
        ]
    )


def _q5_charts(data: AnswerData, section: Section) -> str:
    tables = {t.key: t for t in section.tables}
    by_outcome = tables["q5"]
    outcomes = [c.label for c in by_outcome.columns[1:-1]]
    triggers = [r[0] for r in by_outcome.rows]
    counts = {(r[0], o): r[1 + j] for r in by_outcome.rows for j, o in enumerate(outcomes)}
    evaluations = charts.grouped_bars(
        "Evaluaties per aanleiding en uitkomst",
        triggers,
        outcomes,
        lambda t, o: counts[(t, o)],
        _int,
    )
    conversion = {r[0]: r[3] for r in tables["q5_conversion"].rows}
    pop = {r[0]: r[3] for r in tables["q5_pop"].rows}
    conv_svg = charts.grouped_bars(
        "Conversie naar doorstroom per uitkomst van de evaluatie",
        list(conversion),
        ["gevolgd door doorstroom binnen 24 maanden"],
        lambda o, _: conversion[o],
        _pct,
    )
    pop_svg = charts.grouped_bars(
        "Aandeel evaluaties met een recent POP per aanleiding",
        list(pop),
        ["recent POP (ten hoogste 12 maanden oud)"],
        lambda t, _: pop[t],
        _pct,
    )
    label = period_label(data)
    return "".join(
        [
            _figure(evaluations, f"Evaluaties per aanleiding en uitkomst, evaluatiejaren {label}."),
            _figure(pop_svg, f"Aandeel evaluaties met een recent POP, evaluatiejaren {label}."),
            _figure(conv_svg, f"Doorstroom binnen 24 maanden na de evaluatie, per uitkomst, {label}."),
        ]
    )


def _charts(data: AnswerData, section: Section) -> str:
    if section.key == "q1":
        return _by_year_charts(data, data.q1_by_year, "Doorstromen", 1)
    if section.key == "q2":
        return _q2_chart(data)
    if section.key == "q3":
        return _by_year_charts(data, data.q3_by_year, "Terugkeer", 0)
    if section.key == "q4":
        return _q4_charts(data)
    if section.key == "q5":
        return _q5_charts(data, section)
    return ""


def render(data: AnswerData, sections: list[Section], source_name: str = "doorstroom.duckdb") -> str:
    p = data.period
    title = f"Doorstroom uit collectief maatwerk: cohortjaren {period_label(data)}"
    meta = f"Gegevens tot en met {p.data_cutoff}"
    if p.published_at:
        meta += f", gepubliceerd op {p.published_at:%Y-%m-%d %H:%M}"
    meta += f". Bron: de gepubliceerde tabellen ({source_name})."
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(meta)}</p>',
        f'<p class="summary">{escape(summary(data))}</p>',
    ]
    for section in sections:
        body.append(f'<section id="{escape(section.key)}"><h2>{escape(section.heading)}</h2>')
        body.append(f"<p>{escape(section.intro)}</p>")
        body += [render_table(t) for t in section.tables]
        body += [f'<p class="note">{escape(n)}</p>' for n in section.notes]
        body.append(_charts(data, section))
        body.append("</section>")
    notes = report_notes(data)
    if notes:
        body.append('<div class="footnote">' + "".join(f"<p>{escape(n)}</p>" for n in notes) + "</div>")
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
