"""Vraag 1: transitions per province, over the period and per cohort year."""

from __future__ import annotations

from ..model import TOTAL, Column, Section, Table
from ..records import AnswerData
from .common import cohort_bars, mark, period_label, year_label


def build(data: AnswerData) -> Section:
    period = data.period
    m = mark(period)
    cells = [r for r in data.q1 if r.province is not None]
    total = next((r for r in data.q1 if r.province is None), None)
    overview = Table(
        key="q1",
        title=f"Doorstroom naar het NEC per provincie, cohortjaren {period_label(period)}{m}",
        columns=[
            Column("provincie", "text"),
            Column("afgesloten WOP's"),
            Column("doorstromen"),
            Column("doorstroomgraad", "pct"),
        ],
        rows=[[r.province, r.closed_wops, r.transitions, r.transition_rate] for r in cells],
        total=[TOTAL, total.closed_wops, total.transitions, total.transition_rate] if total else None,
    )
    by_year = {(c.cohort_year, c.province): c.count for c in data.q1_by_year}
    years = period.years
    matrix = Table(
        key="q1_by_year",
        title=f"Doorstromen per provincie en cohortjaar{m}",
        columns=[
            Column("provincie", "text"),
            *(Column(year_label(period, y)) for y in years),
            Column(TOTAL),
        ],
        rows=[
            [
                r.province,
                *(by_year.get((y, r.province), 0) for y in years),
                by_year.get((None, r.province), 0),
            ]
            for r in cells
        ],
        total=[TOTAL, *(by_year.get((y, None), 0) for y in years), by_year.get((None, None), 0)],
    )
    return Section(
        key="q1",
        heading="Vraag 1: doorstroom per provincie",
        intro=(
            "Afgesloten WOP's collectief maatwerk per provincie van de woonplaats op de einddatum, "
            "en hoeveel ervan binnen 24 maanden na het einde doorstroomden naar een job in het normaal "
            "economisch circuit (NEC). Doorstroom wordt per WOP geteld."
        ),
        tables=[overview, matrix],
        charts=[cohort_bars(data, data.q1_by_year, "Doorstromen")],
    )
