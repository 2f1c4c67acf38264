"""The report's sections, one module per question, and the report around them."""

from __future__ import annotations

from ..model import PROVISIONAL_MARK, Report, Section, fmt
from ..records import AnswerData, Period
from . import q1, q2, q3, q4, q5
from .common import mark, period_label

__all__ = ["build_report", "build_sections"]


def build_sections(data: AnswerData) -> list[Section]:
    """Q1-Q3, and Q4 and Q5 when their tables are published."""
    sections = [q1.build(data), q2.build(data), q3.build(data)]
    sections += [s for s in (q4.build(data), q5.build(data)) if s is not None]
    return sections


def summary(data: AnswerData) -> str:
    """One sentence with the period's main figures."""
    label = period_label(data.period)
    total = next((r for r in data.q1 if r.province is None), None)
    returns = next((r.returns for r in data.q3 if r.province is None), 0)
    if total is None or not total.closed_wops:
        return f"Geen afgesloten WOP's in cohortjaren {label}."
    return (
        f"In de cohortjaren {label} werden {fmt(total.closed_wops)} WOP's collectief maatwerk afgesloten; "
        f"{fmt(total.transitions)} ervan ({fmt(total.transition_rate, 'pct')}) stroomden binnen 24 maanden "
        f"door naar een job in het normaal economisch circuit, en {fmt(returns)} keer volgde daarna een "
        f"nieuwe WOP{mark(data.period)}."
    )


def _provisional_note(period: Period) -> str:
    years = ", ".join(str(y) for y in period.provisional_years)
    cutoff = period.data_cutoff.isoformat() if period.data_cutoff else "?"
    plural = "cohortjaren" if len(period.provisional_years) > 1 else "cohortjaar"
    return (
        f"({PROVISIONAL_MARK}) Voorlopig: voor {plural} {years} is de opvolgingsperiode van 24 maanden "
        f"na het einde van de WOP op de datum van de gegevens ({cutoff}) nog niet voorbij; "
        "deze cijfers kunnen nog stijgen."
    )


def report_notes(period: Period) -> list[str]:
    """Notes for the whole report: provisional figures, years without data."""
    notes = []
    if period.provisional_years:
        notes.append(_provisional_note(period))
    missing = sorted(set(range(period.first, period.last + 1)) - set(period.years))
    if missing:
        notes.append(
            "Geen afgesloten WOP's in cohortjaar " + ", ".join(str(y) for y in missing) + " (geen cijfers)."
        )
    return notes


def build_report(data: AnswerData) -> Report:
    return Report(
        period_label=period_label(data.period),
        data_cutoff=data.period.data_cutoff,
        published_at=data.period.published_at,
        summary=summary(data),
        sections=build_sections(data),
        notes=report_notes(data.period),
    )
