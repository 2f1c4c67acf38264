"""Vraag 2: transitions per NACE section (of the first regular job) and province."""

from __future__ import annotations

from ..model import TOTAL, Column, HeatMap, Section, Table
from ..records import AnswerData
from .common import mark, period_label

TEXT_SECTION_NAME_WIDTH = 40  # section names in the text table (full names in Markdown and HTML)


def build(data: AnswerData) -> Section:
    period = data.period
    cells = {(c.nace_section, c.province): c.transitions for c in data.q2}
    provinces = [p for p in data.provinces if (None, p.name) in cells]
    sections = [s for s in data.sections if (s.code, None) in cells]
    table = Table(
        key="q2",
        title=f"Doorstromen per sector (NACE-sectie) en provincie, cohortjaren {period_label(period)}"
        + mark(period),
        columns=[
            Column("sectie", "text"),
            Column("omschrijving", "text", text_width=TEXT_SECTION_NAME_WIDTH),
            *(Column(p.name, short=p.abbreviation) for p in provinces),
            Column(TOTAL),
        ],
        rows=[
            [
                s.code,
                s.name,
                *(cells.get((s.code, p.name), 0) for p in provinces),
                cells[(s.code, None)],
            ]
            for s in sections
        ],
        total=["", TOTAL, *(cells[(None, p.name)] for p in provinces), cells.get((None, None), 0)],
        legend=True,
    )
    labels = [f"{s.code} {s.name}" for s in sections]
    heatmap = HeatMap(
        title="Doorstromen per sector en provincie",
        caption=f"Doorstromen per NACE-sectie en provincie, cohortjaren {period_label(period)} "
        "(kleur naar de vierkantswortel van het aantal, zodat ook kleine aantallen zichtbaar zijn).",
        rows=labels,
        columns=[p.name for p in provinces],
        values=[[cells.get((s.code, p.name), 0) for p in provinces] for s in sections],
        kind="int",
        row_tips=labels,
        sqrt_scale=True,
    )
    return Section(
        key="q2",
        heading="Vraag 2: doorstroom per sector en provincie",
        intro=(
            "De sector is de hoofdactiviteit (NACE-BEL 2008) van de werkgever van de eerste NEC-job "
            "na het einde van de WOP; `?` is een onbekende of ongeldige NACE-code."
        ),
        tables=[table],
        charts=[heatmap],
    )
