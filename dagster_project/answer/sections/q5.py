"""Vraag 5: VDAB's evaluations per trigger and outcome, the POP, and transitions afterwards.

Triggers and outcomes, their labels, order and which have a column in the table per year
come from the published reference tables evaluation_triggers and evaluation_outcomes.
"""

from __future__ import annotations

from ..model import PROVISIONAL_MARK, TOTAL, BarChart, Column, Section, Table, Value
from ..records import AnswerData, EvaluationData, Evaluations
from .common import period_label

Key = tuple[int | None, str | None, str | None]  # (year, trigger, outcome); None: all


def _pop_share(e: Evaluations | None) -> float | None:
    return None if e is None else e.recent_pop_share


def _conversion(e: Evaluations | None) -> float | None:
    return None if e is None else e.conversion


def _pop_row(label: str, e: Evaluations | None) -> list[Value]:
    if e is None:
        return [label, 0, 0, None, None]
    return [label, e.evaluations, e.with_recent_pop, e.recent_pop_share, e.outdated_pop_share]


def _conversion_row(label: str, e: Evaluations | None) -> list[Value]:
    if e is None:
        return [label, 0, 0, None]
    return [label, e.evaluations, e.followed_by_transition, e.conversion]


def _provisional_note(incomplete: list[int]) -> list[str]:
    if not incomplete:
        return []
    return [
        f"({PROVISIONAL_MARK}) Voorlopig: voor "
        f"{'evaluatiejaren' if len(incomplete) > 1 else 'evaluatiejaar'} "
        f"{', '.join(str(y) for y in incomplete)} is de opvolging van 24 maanden na de evaluatie "
        "nog niet voorbij."
    ]


def _per_year(
    q5: EvaluationData, ev: dict[Key, Evaluations], years: list[int], incomplete: list[int]
) -> Table:
    """Per evaluation year: the share of each trigger shown per year, the recent POP share and the
    conversion of each outcome shown per year."""
    triggers = [t for t in q5.triggers if t.shown_per_year]
    outcomes = [o for o in q5.outcomes if o.shown_per_year]
    shares = {(s.year, s.trigger): s.share for s in q5.trigger_shares}
    return Table(
        key="q5_by_year",
        title="Evaluaties per jaar: aanleiding, POP en conversie van doorstroomtrajecten",
        columns=[
            Column("jaar", "text"),
            Column("evaluaties"),
            *(Column(t.short_label, "pct") for t in triggers),
            Column("recent POP", "pct"),
            *(Column(f"conversie {o.short_label}", "pct") for o in outcomes),
        ],
        rows=[
            [
                f"{y}{PROVISIONAL_MARK}" if y in incomplete else str(y),
                ev[(y, None, None)].evaluations,
                *(shares.get((y, t.code)) for t in triggers),
                ev[(y, None, None)].recent_pop_share,
                *(_conversion(ev.get((y, None, o.code))) for o in outcomes),
            ]
            for y in years
        ],
    )


def build(data: AnswerData) -> Section | None:
    q5 = data.q5
    if q5 is None:
        return None
    ev: dict[Key, Evaluations] = {(e.year, e.trigger, e.outcome): e for e in q5.evaluations}
    triggers = [t for t in q5.triggers if t.present]
    outcomes = [o for o in q5.outcomes if o.present]
    years = sorted({e.year for e in q5.evaluations if e.year is not None})
    incomplete = [y for y in years if not ev[(y, None, None)].follow_up_complete]
    label = period_label(data.period)

    def n(key: Key) -> int:
        return ev[key].evaluations if key in ev else 0

    by_outcome = Table(
        key="q5",
        title=f"Evaluaties per aanleiding en uitkomst, evaluatiejaren {label}",
        columns=[Column("aanleiding", "text"), *(Column(o.label) for o in outcomes), Column(TOTAL)],
        rows=[
            [t.label, *(n((None, t.code, o.code)) for o in outcomes), n((None, t.code, None))]
            for t in triggers
        ],
        total=[TOTAL, *(n((None, None, o.code)) for o in outcomes), n((None, None, None))],
    )
    pop = Table(
        key="q5_pop",
        title=f"Recent persoonlijk ontwikkelingsplan (POP) bij de evaluatie, evaluatiejaren {label}",
        columns=[
            Column("aanleiding", "text"),
            Column("evaluaties"),
            Column("met recent POP"),
            Column("aandeel recent", "pct"),
            Column("aandeel verouderd of geen", "pct"),
        ],
        rows=[_pop_row(t.label, ev.get((None, t.code, None))) for t in triggers],
        total=_pop_row(TOTAL, ev.get((None, None, None))),
        notes=["Recent: een POP van ten hoogste 12 maanden oud op de dag van de evaluatie."],
    )
    conversion = Table(
        key="q5_conversion",
        title=f"Doorstroom binnen 24 maanden na de evaluatie, per uitkomst, evaluatiejaren {label}"
        + (f" ({PROVISIONAL_MARK})" if incomplete else ""),
        columns=[
            Column("uitkomst", "text"),
            Column("evaluaties"),
            Column("gevolgd door doorstroom"),
            Column("conversie", "pct"),
        ],
        rows=[_conversion_row(o.label, ev.get((None, None, o.code))) for o in outcomes],
        total=_conversion_row(TOTAL, ev.get((None, None, None))),
        notes=_provisional_note(incomplete),
    )

    charts = [
        BarChart(
            title="Evaluaties per aanleiding en uitkomst",
            caption=f"Evaluaties per aanleiding en uitkomst, evaluatiejaren {label}.",
            categories=[t.label for t in triggers],
            series=[o.label for o in outcomes],
            values=[[n((None, t.code, o.code)) for o in outcomes] for t in triggers],
            kind="int",
        ),
        BarChart(
            title="Aandeel evaluaties met een recent POP per aanleiding",
            caption=f"Aandeel evaluaties met een recent POP, evaluatiejaren {label}.",
            categories=[t.label for t in triggers],
            series=["recent POP (ten hoogste 12 maanden oud)"],
            values=[[_pop_share(ev.get((None, t.code, None)))] for t in triggers],
            kind="pct",
        ),
        BarChart(
            title="Conversie naar doorstroom per uitkomst van de evaluatie",
            caption=f"Doorstroom binnen 24 maanden na de evaluatie, per uitkomst, {label}.",
            categories=[o.label for o in outcomes],
            series=["gevolgd door doorstroom binnen 24 maanden"],
            values=[[_conversion(ev.get((None, None, o.code)))] for o in outcomes],
            kind="pct",
        ),
    ]
    return Section(
        key="q5",
        heading="Vraag 5: de evaluaties door VDAB",
        intro=(
            "Evaluaties op de werkvloer per aanleiding en uitkomst, of er een recent POP was, en hoe vaak "
            "een persoon daarna binnen 24 maanden een NEC-job had (tabel evaluations_by_year; jaar van "
            "de evaluatie)."
        ),
        tables=[by_outcome, pop, conversion, _per_year(q5, ev, years, incomplete)],
        charts=charts,
    )
