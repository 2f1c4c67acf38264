"""The answer as Markdown: the same tables as the printed answer, full section names."""

from __future__ import annotations

from .model import Report, Table


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")


def render_table(table: Table) -> str:
    header = "| " + " | ".join(_escape(c.label) for c in table.columns) + " |"
    align = "|" + "|".join("---:" if c.numeric else ":---" for c in table.columns) + "|"
    lines = [f"**{_escape(table.title)}**", "", header, align]
    lines += ["| " + " | ".join(_escape(v) for v in table.formatted(r)) + " |" for r in table.rows]
    if table.total is not None:
        lines.append(
            "| " + " | ".join(f"**{_escape(v)}**" if v else "" for v in table.formatted(table.total)) + " |"
        )
    for note in table.notes:  # each note its own paragraph
        lines += ["", _escape(note)]
    return "\n".join(lines)


def render(report: Report) -> str:
    out = [
        f"# Doorstroom uit collectief maatwerk: cohortjaren {report.period_label}",
        "",
        f"Gegevens tot en met {report.data_cutoff}"
        + (f", gepubliceerd op {report.published_at:%Y-%m-%d %H:%M}." if report.published_at else "."),
    ]
    out += ["", _escape(report.summary)]
    for section in report.sections:
        out += ["", f"## {section.heading}", "", section.intro]
        for table in section.tables:
            out += ["", render_table(table)]
        if section.notes:
            out += ["", *section.notes]
    if report.notes:
        out += ["", "---", "", *(_escape(n) for n in report.notes)]
    return "\n".join(out) + "\n"
