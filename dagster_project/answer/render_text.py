"""The answer for a terminal: plain-text tables, aligned in columns."""

from __future__ import annotations

from .model import Report, Table, Value


def _shorten(value: Value, width: int | None) -> Value:
    if width is None or not isinstance(value, str) or len(value) <= width:
        return value
    return value[: width - 1].rstrip() + "…"


def _fitted(table: Table, row: list[Value]) -> list[str]:
    """A row formatted, text cells shortened to their column's text width."""
    return table.formatted([_shorten(v, c.text_width) for v, c in zip(row, table.columns, strict=True)])


def render_table(table: Table) -> str:
    header = [c.short or c.label for c in table.columns]
    body = [_fitted(table, r) for r in table.rows]
    total = _fitted(table, table.total) if table.total is not None else None
    lines = [header, *body, *([total] if total is not None else [])]
    widths = [max(len(v) for v in col) for col in zip(*lines, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if c.numeric else v.ljust(w)
            for v, w, c in zip(cells, widths, table.columns, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [table.title, line(header), rule, *(line(r) for r in body)]
    if total is not None:
        out += [rule, line(total)]
    out += table.notes
    if table.legend:
        out.append(", ".join(f"{c.short} {c.label}" for c in table.columns if c.short))
    return "\n".join(out)


def render(report: Report, brief: bool = False) -> str:
    """The answer for a terminal; ``brief``: the first table of each question only."""
    head = [
        f"Parlementaire vraag over doorstroom uit collectief maatwerk: cohortjaren {report.period_label}",
        f"Gegevens tot en met {report.data_cutoff}, gepubliceerd op {report.published_at:%Y-%m-%d %H:%M}"
        if report.published_at
        else f"Gegevens tot en met {report.data_cutoff}",
    ]
    parts = ["\n".join(head), report.summary]
    for section in report.sections:
        block = [f"== {section.heading} =="]
        shown = section.tables[:1] if brief else section.tables
        block += [render_table(t) for t in shown]
        block += section.notes
        if len(shown) < len(section.tables):
            block.append(f"({len(section.tables) - len(shown)} tabel(len) meer in het rapport)")
        parts.append("\n\n".join(block))
    if report.notes:
        parts.append("\n".join(report.notes))
    return "\n\n".join(parts) + "\n"
