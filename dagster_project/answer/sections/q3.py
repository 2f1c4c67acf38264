"""Vraag 3: returns to a WOP after a transition (SEC-NEC-SEC), per province."""

from __future__ import annotations

from ..model import TOTAL, Column, Section, Table
from ..records import AnswerData
from .common import cohort_bars, mark, period_label


def build(data: AnswerData) -> Section:
    period = data.period
    cells = [r for r in data.q3 if r.province is not None]
    total = next((r for r in data.q3 if r.province is None), None)
    table = Table(
        key="q3",
        title=f"Terugkeer naar een WOP na doorstroom (SEC-NEC-SEC), cohortjaren {period_label(period)}"
        + mark(period),
        columns=[Column("provincie", "text"), Column("doorstromen"), Column("terugkeer")],
        rows=[[r.province, r.transitions, r.returns] for r in cells],
        total=[TOTAL, total.transitions, total.returns] if total else [TOTAL, 0, 0],
    )
    return Section(
        key="q3",
        heading="Vraag 3: terugkeer naar de sociale economie",
        intro=(
            "Een terugkeer is een nieuwe WOP (elke maatregel, ook nog lopend) die start na een doorstroom "
            "van dezelfde persoon; hij telt bij het cohortjaar en de provincie van die doorstroom."
        ),
        tables=[table],
        charts=[cohort_bars(data, data.q3_by_year, "Terugkeer")],
    )
