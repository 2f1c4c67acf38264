"""Vraag 4: key figures per province and cohort year (transition_kpis_by_province)."""

from __future__ import annotations

from ..model import TOTAL, BarChart, Column, HeatMap, Kind, Number, Section, Table, Value
from ..records import AnswerData, Kpi
from .common import mark, period_label, year_label

# (Kpi field, table title, kind) of the tables per province and cohort year.
METRICS: tuple[tuple[str, str, Kind], ...] = (
    ("transition_rate", "Doorstroomgraad (doorstromen / afgesloten WOP's)", "pct"),
    ("median_days", "Mediaan aantal dagen tot de doorstroom", "days"),
    ("sustained_share", "Aandeel duurzame doorstroom (nog NEC-job 12 maanden later)", "pct"),
    ("return_rate", "Terugkeergraad (terugkeer / doorstromen)", "pct"),
)
# (series label, Kpi field) of the bars per province over the period.
RATES = (
    ("doorstroomgraad", "transition_rate"),
    ("aandeel duurzaam", "sustained_share"),
    ("terugkeergraad", "return_rate"),
)


def _figure(kpi: Kpi | None, name: str) -> Number:
    return None if kpi is None else getattr(kpi, name)


def _overview_row(label: str, k: Kpi | None) -> list[Value]:
    if k is None:
        return [label, *[None] * 9]
    return [
        label,
        k.closed_wops,
        k.transitions,
        k.transition_rate,
        k.median_days,
        k.sustained_known,
        k.sustained,
        k.sustained_share,
        k.returns,
        k.return_rate,
    ]


def build(data: AnswerData) -> Section | None:
    if data.q4 is None:
        return None
    period = data.period
    m, label = mark(period), period_label(period)
    kpis = {(k.cohort_year, k.province): k for k in data.q4}
    provinces = [p.name for p in data.provinces if (None, p.name) in kpis]
    years = period.years
    overview = Table(
        key="q4",
        title=f"Kerncijfers per provincie, cohortjaren {label}{m}",
        columns=[
            Column("provincie", "text"),
            Column("afgesloten WOP's", short="afgesl."),
            Column("doorstromen", short="doorstr."),
            Column("doorstroomgraad", "pct", short="graad"),
            Column("mediaan dagen", "days", short="med. d"),
            Column("duurzaamheid gekend", short="gekend"),
            Column("duurzaam", short="duurz."),
            Column("aandeel duurzaam", "pct", short="% duurz."),
            Column("terugkeer", short="terugk."),
            Column("terugkeergraad", "pct", short="% terugk."),
        ],
        rows=[_overview_row(p, kpis.get((None, p))) for p in provinces],
        total=_overview_row(TOTAL, kpis.get((None, None))),
        notes=[
            "Duurzaamheid gekend: doorstromen waarvan de dag 12 maanden na de doorstroom op of voor de "
            "datum van de gegevens valt; duurzaam: daarvan met een NEC-job op die dag. Mediaan: de "
            "onderste middelste waarde."
        ],
    )
    tables = [overview]
    for name, title, kind in METRICS:
        tables.append(
            Table(
                key=f"q4_{name}",
                title=f"{title}, per provincie en cohortjaar{m}",
                columns=[
                    Column("provincie", "text"),
                    *(Column(year_label(period, y), kind) for y in years),
                    Column(label, kind),
                ],
                rows=[
                    [p, *(_figure(kpis.get((y, p)), name) for y in years), _figure(kpis[(None, p)], name)]
                    for p in provinces
                ],
                total=[
                    TOTAL,
                    *(_figure(kpis.get((y, None)), name) for y in years),
                    _figure(kpis.get((None, None)), name),
                ],
            )
        )
    columns = [year_label(period, y) for y in years]
    charts = [
        HeatMap(
            title="Doorstroomgraad per provincie en cohortjaar",
            caption=f"Doorstroomgraad per provincie en cohortjaar, {label}.",
            rows=provinces,
            columns=columns,
            values=[[_figure(kpis.get((y, p)), "transition_rate") for y in years] for p in provinces],
            kind="pct",
            cell_width=72,
        ),
        BarChart(
            title="Doorstroomgraad, aandeel duurzaam en terugkeergraad per provincie",
            caption=f"Doorstroomgraad, aandeel duurzaam en terugkeergraad per provincie, {label}.",
            categories=provinces,
            series=[series for series, _ in RATES],
            values=[[_figure(kpis[(None, p)], name) for _, name in RATES] for p in provinces],
            kind="pct",
        ),
        HeatMap(
            title="Mediaan aantal dagen tot de doorstroom per provincie en cohortjaar",
            caption=f"Mediaan aantal dagen van het einde van de WOP tot de doorstroom, {label}.",
            rows=provinces,
            columns=columns,
            values=[[_figure(kpis.get((y, p)), "median_days") for y in years] for p in provinces],
            kind="days",
            cell_width=72,
        ),
    ]
    return Section(
        key="q4",
        heading="Vraag 4: evaluatie van de doorstroom",
        intro=(
            "Doorstroomgraad, tijd tot de doorstroom, duurzaamheid (nog aan het werk in het NEC 12 "
            "maanden na de doorstroom) en terugkeer, per provincie en cohortjaar "
            "(tabel transition_kpis_by_province)."
        ),
        tables=tables,
        charts=charts,
    )
