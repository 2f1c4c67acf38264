"""What the sections share: labels of the period and its years, and bars per province and year."""

from __future__ import annotations

from ..model import PROVISIONAL_MARK, BarChart
from ..records import AnswerData, CohortCell, Period


def period_label(period: Period) -> str:
    return str(period.first) if period.first == period.last else f"{period.first}-{period.last}"


def mark(period: Period) -> str:
    """The provisional mark after a title, when the period holds a provisional year."""
    return f" ({PROVISIONAL_MARK})" if period.provisional_years else ""


def year_label(period: Period, year: int) -> str:
    return f"{year}{PROVISIONAL_MARK}" if year in period.provisional_years else str(year)


def cohort_bars(data: AnswerData, cells: list[CohortCell], what: str) -> BarChart:
    """Bars per province (group) and cohort year (bar); provisional years muted."""
    counts = {
        (c.cohort_year, c.province): c.count
        for c in cells
        if c.cohort_year is not None and c.province is not None
    }
    period = data.period
    years = {year_label(period, y): y for y in period.years}
    provinces = [p.name for p in data.provinces if any(province == p.name for _, province in counts)]
    muted = [label for label, y in years.items() if y in period.provisional_years]
    caption = f"{what} per provincie en cohortjaar, cohortjaren {period_label(period)}."
    if muted:
        caption += f" Lichtere balken met stippellijn ({PROVISIONAL_MARK}): voorlopige cijfers."
    return BarChart(
        title=f"{what} per provincie en cohortjaar",
        caption=caption,
        categories=provinces,
        series=list(years),
        values=[[counts.get((y, p), 0) for y in years.values()] for p in provinces],
        kind="int",
        muted=muted,
    )
