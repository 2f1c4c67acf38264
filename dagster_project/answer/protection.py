"""Disclosure control of the answer: every count the report publishes for the period in ONE
linked release (`disclosure`), suppressed and audited, and the answer's figures with every hidden
count, and every rate, share or median that would give one back, replaced by `Suppressed`.

It works on the figures (`AnswerData`) before the sections are built, so every table and every
chart made from them (bars, heat maps) shows the same pattern, and no section computes anything.

The release (table names as in the audit; rows and columns are the report's Dutch labels, or
the codes of NACE sections, evaluation triggers and outcomes; ``Totaal`` a total):

- ``transitions``: closed WOPs and transitions per province (Q1) and their total row;
- ``transitions_by_year``: transitions per province x cohort year with both totals; its total
  column is the transitions per province of ``transitions`` (a link: the same number);
- ``transitions_by_sector`` (NACE-BEL 2008 section x province) and, for a period with
  transitions from 2025 on, ``transitions_by_nace2025`` (each 2008 cell is the sum of the cells
  of its 2025 sections, as the published transitions pair them) and ``nace_classifications`` (the note's count
  per classification); their province totals and grand total linked to ``transitions``;
- ``returns``: transitions and returns per province (Q3), linked to ``transitions``;
  ``returns_by_year``: returns per province x cohort year (the Q3 bars), linked to ``returns``;
- ``kpis`` (Q4): closed WOPs, transitions, returns (linked to Q1 and Q3) and sustainability
  known = sustained + not sustained per province; ``sustained_by_year`` and
  ``not_sustained_by_year`` per province x cohort year (behind the shares per year), their
  totals linked to ``kpis``;
- Q5: ``evaluations`` (trigger x outcome), ``evaluations_pop`` (with and without a recent POP
  per trigger), ``evaluations_conversion`` (followed by a transition or not, per outcome),
  ``evaluations_by_year`` (per year and trigger), ``evaluations_pop_by_year``,
  ``outcomes_by_year``, ``followed_by_year`` and ``not_followed_by_year`` (behind the
  conversions per year), linked by their shared totals.

*Unpublished* cells are in the release for their relations only (`disclosure.Suppression`): the
complement a share prints implicitly (not sustained, no recent POP, not followed by a
transition), and the counts behind a rate whose denominator is not printed (sustainability and
conversion per year). A count printed only as a rate over a printed denominator (evaluations per
year and trigger, a recent POP per year) is published: rate x denominator gives it back.

Derived values (`disclosure.hide_derived`): a rate or share is hidden when its denominator is
under k or when a count it is computed from (numerator, denominator, complement) is hidden; a
median when it is taken over fewer than k transitions. A count of a record the report does not
print (e.g. closed WOPs per year and province) is in no table: it gets the primary rule only.

Not modelled in the audit's linear programs: a visible rate as a constraint (it is hidden by the
rule above instead), the transitions whose sustainability is not known yet (transitions - known,
a few per province: a date fact, not a person's outcome), and dominance by one employer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .disclosure import (
    TOTAL,
    Audit,
    K,
    Key,
    Relation,
    Release,
    Suppression,
    audit,
    hide_derived,
    same,
    suppress,
)
from .model import Suppressed
from .records import (
    AnswerData,
    ClassificationCount,
    CohortCell,
    EvaluationData,
    Evaluations,
    Kpi,
    ProvinceReturns,
    ProvinceTransitions,
    Sector2025Cell,
    SectorCell,
    Sectors2025,
    TriggerShare,
)

# Column labels of the release (the report's Dutch labels).
CLOSED = "afgesloten WOP's"
TRANSITIONS = "doorstromen"
RETURNS = "terugkeer"
KNOWN = "duurzaamheid gekend"
SUSTAINED = "duurzaam"
NOT_SUSTAINED = "niet duurzaam"
EVALUATIONS = "evaluaties"
RECENT_POP = "met recent POP"
NO_RECENT_POP = "zonder recent POP"
FOLLOWED = "gevolgd door doorstroom"
NOT_FOLLOWED = "niet gevolgd door doorstroom"

# Table names (the audit prints them).
T_TRANSITIONS = "transitions"
T_BY_YEAR = "transitions_by_year"
T_SECTOR = "transitions_by_sector"
T_SECTOR_2025 = "transitions_by_nace2025"
T_CLASSIFICATION = "nace_classifications"
T_RETURNS = "returns"
T_RETURNS_BY_YEAR = "returns_by_year"
T_KPIS = "kpis"
T_SUSTAINED = "sustained_by_year"
T_NOT_SUSTAINED = "not_sustained_by_year"
T_EVALUATIONS = "evaluations"
T_POP = "evaluations_pop"
T_CONVERSION = "evaluations_conversion"
T_EV_BY_YEAR = "evaluations_by_year"
T_POP_BY_YEAR = "evaluations_pop_by_year"
T_OUTCOME_BY_YEAR = "outcomes_by_year"
T_FOLLOWED = "followed_by_year"
T_NOT_FOLLOWED = "not_followed_by_year"


def label(value: str | int | None) -> str:
    """A row or column label: a province, a year, a code; None (a total over it) is Totaal."""
    return TOTAL if value is None else str(value)


def _count(value: int | None) -> int:
    return 0 if value is None else int(value)


class _Builder:
    """The cells of the release as the report prints them (totals too: the relations are checked
    by `Release`, so a printed total that is not the sum of its printed parts is an error, not a
    silently wrong audit), the relations and the unpublished cells."""

    def __init__(self) -> None:
        self.values: dict[Key, int] = {}
        self.relations: list[Relation] = []
        self.unpublished: set[Key] = set()

    def grid(
        self,
        table: str,
        rows: Sequence[str],
        columns: Sequence[str],
        cells: Mapping[tuple[str, str], int | None],
        *,
        row_total: str | None = TOTAL,
        column_total: str | None = TOTAL,
        unpublished: Callable[[str, str], bool] = lambda row, column: False,
    ) -> None:
        """``rows`` x ``columns`` from ``cells`` (labels; a missing cell is a printed 0), with a
        total column labelled ``row_total`` (one total per row) and a total row labelled
        ``column_total``; with both, the grand total. ``unpublished(row, column)``: cells (totals
        included) that are never printed."""
        out_rows = [*rows, *([column_total] if column_total else [])]
        out_columns = [*columns, *([row_total] if row_total else [])]
        for r in out_rows:
            for c in out_columns:
                key = Key(table, r, c)
                if key in self.values:
                    raise ValueError(f"cell given twice: {key}")
                self.values[key] = _count(cells.get((r, c)))
                if unpublished(r, c):
                    self.unpublished.add(key)
        if row_total:
            for r in out_rows:
                self.total(Key(table, r, row_total), [Key(table, r, c) for c in columns])
        if column_total:
            for c in out_columns:
                self.total(Key(table, column_total, c), [Key(table, r, c) for r in rows])

    def total(self, total: Key, parts: Iterable[Key]) -> None:
        parts = tuple(parts)
        if parts:
            self.relations.append(Relation(total, parts))
        elif self.values[total]:
            raise ValueError(f"{total} = {self.values[total]} is a total of nothing")

    def same(self, a: Key, b: Key) -> None:
        """``a`` and ``b`` print the same number (when both are in the release)."""
        if a in self.values and b in self.values:
            self.relations.append(same(a, b))

    def release(self) -> Release:
        return Release(self.values, tuple(self.relations))


def _provinces(data: AnswerData, present: Iterable[str | None]) -> list[str]:
    """The provinces among ``present`` (None left out), in the published order."""
    names = {p for p in present if p is not None}
    ordered = [p.name for p in data.provinces if p.name in names]
    return ordered + sorted(names - set(ordered))


def _years(cells: Iterable[int | None]) -> list[str]:
    return [str(y) for y in sorted({y for y in cells if y is not None})]


# ---------------------------------------------------------------- the release


def _q1(b: _Builder, data: AnswerData) -> None:
    provinces = _provinces(data, (r.province for r in data.q1))
    b.grid(
        T_TRANSITIONS,
        provinces,
        [CLOSED, TRANSITIONS],
        {
            (label(r.province), column): value
            for r in data.q1
            for column, value in ((CLOSED, r.closed_wops), (TRANSITIONS, r.transitions))
        },
        row_total=None,
    )
    by_year_provinces = _provinces(data, [*provinces, *(c.province for c in data.q1_by_year)])
    b.grid(
        T_BY_YEAR,
        by_year_provinces,
        _years(c.cohort_year for c in data.q1_by_year),
        {(label(c.province), label(c.cohort_year)): c.count for c in data.q1_by_year},
    )
    for p in [*by_year_provinces, TOTAL]:
        b.same(Key(T_TRANSITIONS, p, TRANSITIONS), Key(T_BY_YEAR, p, TOTAL))


def _q3(b: _Builder, data: AnswerData) -> None:
    returns_provinces = _provinces(data, (r.province for r in data.q3))
    b.grid(
        T_RETURNS,
        returns_provinces,
        [TRANSITIONS, RETURNS],
        {
            (label(r.province), column): value
            for r in data.q3
            for column, value in ((TRANSITIONS, r.transitions), (RETURNS, r.returns))
        },
        row_total=None,
    )
    for p in [*returns_provinces, TOTAL]:
        b.same(Key(T_TRANSITIONS, p, TRANSITIONS), Key(T_RETURNS, p, TRANSITIONS))
    if data.q3_by_year:
        year_provinces = _provinces(data, [*returns_provinces, *(c.province for c in data.q3_by_year)])
        b.grid(
            T_RETURNS_BY_YEAR,
            year_provinces,
            _years(c.cohort_year for c in data.q3_by_year),
            {(label(c.province), label(c.cohort_year)): c.count for c in data.q3_by_year},
        )
        for p in [*year_provinces, TOTAL]:
            b.same(Key(T_RETURNS, p, RETURNS), Key(T_RETURNS_BY_YEAR, p, TOTAL))


def _sectors(
    b: _Builder,
    data: AnswerData,
    table: str,
    codes: list[str],
    cells: list[tuple[str | None, str | None, Any]],
) -> None:
    """Sections x the provinces of the table (those with a total, as q2 shows them)."""
    provinces = _provinces(data, (p for s, p, _ in cells if s is None))
    b.grid(table, codes, provinces, {(label(s), label(p)): n for s, p, n in cells})
    for p in [*provinces, TOTAL]:
        b.same(Key(T_TRANSITIONS, p, TRANSITIONS), Key(table, TOTAL, p))


def _q2(b: _Builder, data: AnswerData) -> None:
    _sectors(
        b,
        data,
        T_SECTOR,
        [s.code for s in data.sections],
        [(c.nace_section, c.province, c.transitions) for c in data.q2],
    )
    q2_2025 = data.q2_2025
    if q2_2025 is None:
        return
    _sectors(
        b,
        data,
        T_SECTOR_2025,
        [s.code for s in q2_2025.sections],
        [(c.nace_section_2025, c.province, c.transitions) for c in q2_2025.cells],
    )
    _sections_2008_2025(b, data, q2_2025)
    if q2_2025.classifications:
        b.grid(
            T_CLASSIFICATION,
            [_classification(c) for c in q2_2025.classifications],
            [TRANSITIONS],
            {
                **{(_classification(c), TRANSITIONS): c.transitions for c in q2_2025.classifications},
                # not printed: the total of the period's transitions, printed in the other tables
                (TOTAL, TRANSITIONS): sum(c.transitions for c in q2_2025.classifications),
            },
            row_total=None,
        )
        b.same(Key(T_TRANSITIONS, TOTAL, TRANSITIONS), Key(T_CLASSIFICATION, TOTAL, TRANSITIONS))


def _sections_2008_2025(b: _Builder, data: AnswerData, q2_2025: Sectors2025) -> None:
    """Each cell of the 2008 table is the sum of the cells of its 2025 sections (same province).
    Which 2025 sections lie in which 2008 section is read from the published transitions
    (`Sectors2025.section_pairs`: both tables classify the same transitions by the division of
    their code); a 2025 section without transitions in the period has only zeros."""
    sections_2025 = [s.code for s in q2_2025.sections]
    section_2008_of = {p.nace_section_2025: p.nace_section for p in q2_2025.section_pairs}
    columns = [k.column for k in b.values if k.table == T_SECTOR and k.row == TOTAL]
    for section in (s.code for s in data.sections):
        parts = [t for t in sections_2025 if section_2008_of.get(t) == section]
        if not parts:
            continue
        for p in columns:
            keys = [Key(T_SECTOR_2025, t, p) for t in parts]
            if all(key in b.values for key in keys):
                b.total(Key(T_SECTOR, section, p), keys)


def _classification(c: ClassificationCount) -> str:
    return f"NACE-BEL {c.nace_classification}"


def _q4(b: _Builder, data: AnswerData) -> None:
    kpis = data.q4 or []
    period = [k for k in kpis if k.cohort_year is None]
    provinces = _provinces(data, (k.province for k in period))
    b.grid(
        T_KPIS,
        provinces,
        [CLOSED, TRANSITIONS, RETURNS],
        {
            (label(k.province), column): value
            for k in period
            for column, value in ((CLOSED, k.closed_wops), (TRANSITIONS, k.transitions), (RETURNS, k.returns))
        },
        row_total=None,
    )
    b.grid(
        T_KPIS,
        provinces,
        [SUSTAINED, NOT_SUSTAINED],
        {
            (label(k.province), column): value
            for k in period
            for column, value in (
                (SUSTAINED, k.sustained),
                (NOT_SUSTAINED, k.sustained_known - k.sustained),
                (KNOWN, k.sustained_known),
            )
        },
        row_total=KNOWN,
        unpublished=lambda row, column: column == NOT_SUSTAINED,
    )
    for p in [*provinces, TOTAL]:
        b.same(Key(T_TRANSITIONS, p, CLOSED), Key(T_KPIS, p, CLOSED))
        b.same(Key(T_TRANSITIONS, p, TRANSITIONS), Key(T_KPIS, p, TRANSITIONS))
        b.same(Key(T_RETURNS, p, RETURNS), Key(T_KPIS, p, RETURNS))
    # Per cohort year only the share is printed, over a denominator that is not: the counts
    # behind it are unpublished, their period totals the printed ones of kpis.
    years = _years(k.cohort_year for k in kpis)
    year_provinces = _provinces(data, [*provinces, *(k.province for k in kpis)])
    for table, column, value in (
        (T_SUSTAINED, SUSTAINED, lambda k: k.sustained),
        (T_NOT_SUSTAINED, NOT_SUSTAINED, lambda k: k.sustained_known - k.sustained),
    ):
        b.grid(
            table,
            year_provinces,
            years,
            {(label(k.province), label(k.cohort_year)): value(k) for k in kpis},
            unpublished=lambda row, column: True,
        )
        for p in [*year_provinces, TOTAL]:
            b.same(Key(T_KPIS, p, column), Key(table, p, TOTAL))


def _q5(b: _Builder, q5: EvaluationData) -> None:
    triggers = [t.code for t in q5.triggers if t.present]
    outcomes = [o.code for o in q5.outcomes if o.present]
    shown_triggers = {t.code for t in q5.triggers if t.shown_per_year}
    shown_outcomes = [o.code for o in q5.outcomes if o.present and o.shown_per_year]
    years = _years(e.year for e in q5.evaluations)
    period = [e for e in q5.evaluations if e.year is None]

    def measures(e: Evaluations) -> dict[str, int]:
        return {
            EVALUATIONS: e.evaluations,
            RECENT_POP: e.with_recent_pop,
            NO_RECENT_POP: e.evaluations - e.with_recent_pop,
            FOLLOWED: e.followed_by_transition,
            NOT_FOLLOWED: e.evaluations - e.followed_by_transition,
        }

    def per(
        records: Iterable[Evaluations],
        row: Callable[[Evaluations], str | int | None],
        where: Callable[[Evaluations], bool],
        columns: Sequence[str],
    ) -> dict[tuple[str, str], int]:
        """Cells (row, measure) of the records selected by ``where``."""
        return {
            (label(row(e)), column): measures(e)[column] for e in records if where(e) for column in columns
        }

    # Over the period: trigger x outcome.
    b.grid(
        T_EVALUATIONS,
        triggers,
        outcomes,
        {(label(e.trigger), label(e.outcome)): e.evaluations for e in period},
    )
    # Per trigger: with a recent POP or not (its complement, printed as a share).
    pop = [EVALUATIONS, RECENT_POP, NO_RECENT_POP]
    b.grid(
        T_POP,
        triggers,
        pop[1:],
        per(period, lambda e: e.trigger, lambda e: e.outcome is None, pop),
        row_total=EVALUATIONS,
        unpublished=lambda row, column: column == NO_RECENT_POP,
    )
    for t in [*triggers, TOTAL]:
        b.same(Key(T_EVALUATIONS, t, TOTAL), Key(T_POP, t, EVALUATIONS))
    # Per outcome: followed by a transition or not.
    conversion = [EVALUATIONS, FOLLOWED, NOT_FOLLOWED]
    b.grid(
        T_CONVERSION,
        outcomes,
        conversion[1:],
        per(period, lambda e: e.outcome, lambda e: e.trigger is None, conversion),
        row_total=EVALUATIONS,
        unpublished=lambda row, column: column == NOT_FOLLOWED,
    )
    for o in [*outcomes, TOTAL]:
        b.same(Key(T_EVALUATIONS, TOTAL, o), Key(T_CONVERSION, o, EVALUATIONS))
    if not years:
        return

    def by_year(second: Callable[[Evaluations], str | None], where: Callable[[Evaluations], bool]) -> dict:
        """Cells (year, second) of the records selected by ``where``; None in second is the
        year's total, the column EVALUATIONS."""
        return {
            (label(e.year), EVALUATIONS if second(e) is None else str(second(e))): e.evaluations
            for e in q5.evaluations
            if where(e)
        }

    # Per year and trigger: printed as the share of the year's evaluations for the triggers shown
    # per year (the share gives the count back), not printed for the others.
    b.grid(
        T_EV_BY_YEAR,
        years,
        triggers,
        by_year(lambda e: e.trigger, lambda e: e.outcome is None),
        row_total=EVALUATIONS,
        unpublished=lambda row, column: (
            row != TOTAL and column not in shown_triggers and column != EVALUATIONS
        ),
    )
    for t in triggers:
        b.same(Key(T_EVALUATIONS, t, TOTAL), Key(T_EV_BY_YEAR, TOTAL, t))
    b.same(Key(T_EVALUATIONS, TOTAL, TOTAL), Key(T_EV_BY_YEAR, TOTAL, EVALUATIONS))
    # Per year: with a recent POP (printed as a share of the printed evaluations) or not.
    b.grid(
        T_POP_BY_YEAR,
        years,
        pop[1:],
        per(q5.evaluations, lambda e: e.year, lambda e: e.trigger is None and e.outcome is None, pop),
        row_total=EVALUATIONS,
        unpublished=lambda row, column: column == NO_RECENT_POP,
    )
    for y in [*years, TOTAL]:
        b.same(Key(T_EV_BY_YEAR, y, EVALUATIONS), Key(T_POP_BY_YEAR, y, EVALUATIONS))
    for column in pop[1:]:
        b.same(Key(T_POP, TOTAL, column), Key(T_POP_BY_YEAR, TOTAL, column))
    # Per year and outcome: only the conversion of the outcomes shown per year is printed, over a
    # denominator that is not: every count behind it is unpublished.
    b.grid(
        T_OUTCOME_BY_YEAR,
        years,
        outcomes,
        by_year(lambda e: e.outcome, lambda e: e.trigger is None),
        row_total=EVALUATIONS,
        unpublished=lambda row, column: row != TOTAL and column != EVALUATIONS,
    )
    for y in [*years, TOTAL]:
        b.same(Key(T_EV_BY_YEAR, y, EVALUATIONS), Key(T_OUTCOME_BY_YEAR, y, EVALUATIONS))
    for o in outcomes:
        b.same(Key(T_EVALUATIONS, TOTAL, o), Key(T_OUTCOME_BY_YEAR, TOTAL, o))
    for table, measure in ((T_FOLLOWED, FOLLOWED), (T_NOT_FOLLOWED, NOT_FOLLOWED)):
        b.grid(
            table,
            years,
            shown_outcomes,
            {
                (label(e.year), label(e.outcome)): measures(e)[measure]
                for e in q5.evaluations
                if e.trigger is None and e.outcome is not None
            },
            row_total=None,
            unpublished=lambda row, column: row != TOTAL,
        )
        for o in shown_outcomes:
            b.same(Key(T_CONVERSION, o, measure), Key(table, TOTAL, o))
    for y in years:
        for o in shown_outcomes:
            b.total(Key(T_OUTCOME_BY_YEAR, y, o), [Key(T_FOLLOWED, y, o), Key(T_NOT_FOLLOWED, y, o)])


def release(data: AnswerData) -> tuple[Release, frozenset[Key]]:
    """Every count the report publishes for the period as one linked release, and its
    unpublished cells (see the module docstring)."""
    b = _Builder()
    _q1(b, data)
    _q2(b, data)
    _q3(b, data)
    if data.q4 is not None:
        _q4(b, data)
    if data.q5 is not None:
        _q5(b, data.q5)
    return b.release(), frozenset(b.unpublished)


# ---------------------------------------------------------------- the figures, protected


class _Hider:
    """Replaces the figures of the records: a count by its cell's fate, a derived value by
    `hide_derived`."""

    def __init__(self, suppression: Suppression) -> None:
        self.suppression = suppression
        self.k = suppression.k

    def count(self, value: int | None, key: Key | None) -> int | Suppressed | None:
        """A count as published: Suppressed when its cell is hidden (primary or secondary; an
        unpublished cell that is a small count is primary); a count in no table of the release
        (never printed) by the primary rule alone."""
        if value is None:
            return None
        if key is not None and key in self.suppression.release.values:
            reason = self.suppression.reason(key)
            return value if reason is None else Suppressed(primary=reason == "primary")
        return Suppressed(primary=True) if 0 < value < self.k else value

    def derived(
        self,
        value: float | None,
        units: int | None,
        inputs: Iterable[Key | None] = (),
        *,
        hidden: bool = False,
    ) -> float | Suppressed | None:
        """A rate, share or median: hidden on fewer than k units, when one of the cells it is
        computed from is hidden, or when ``hidden`` (a count it is computed from that is in no
        table is hidden). Primary when it is hidden for its own sake or for a primary cell."""
        if value is None:
            return None
        keys = [key for key in inputs if key is not None]
        if not hide_derived(units, k=self.k, inputs=keys, hidden=self.suppression) and not hidden:
            return value
        primary = (units is not None and 0 < units < self.k) or any(
            key in self.suppression.primary for key in keys
        )
        return Suppressed(primary=primary or hidden)


def _hidden(*values: object) -> bool:
    return any(isinstance(v, Suppressed) for v in values)


def _transitions(h: _Hider, r: ProvinceTransitions) -> ProvinceTransitions:
    p = label(r.province)
    closed, transitions = Key(T_TRANSITIONS, p, CLOSED), Key(T_TRANSITIONS, p, TRANSITIONS)
    return dataclasses.replace(
        r,
        closed_wops=h.count(r.closed_wops, closed),
        transitions=h.count(r.transitions, transitions),
        transition_rate=h.derived(r.transition_rate, r.closed_wops, [closed, transitions]),
    )


def _cohort(h: _Hider, table: str, c: CohortCell) -> CohortCell:
    return dataclasses.replace(c, count=h.count(c.count, Key(table, label(c.province), label(c.cohort_year))))


def _sector(h: _Hider, table: str, c: SectorCell | Sector2025Cell, section: str | None) -> Any:
    return dataclasses.replace(
        c, transitions=h.count(c.transitions, Key(table, label(section), label(c.province)))
    )


def _returns(h: _Hider, r: ProvinceReturns) -> ProvinceReturns:
    p = label(r.province)
    return dataclasses.replace(
        r,
        transitions=h.count(r.transitions, Key(T_RETURNS, p, TRANSITIONS)),
        returns=h.count(r.returns, Key(T_RETURNS, p, RETURNS)),
    )


def _kpi(h: _Hider, k: Kpi) -> Kpi:
    p = label(k.province)
    if k.cohort_year is None:  # the period: the overview table
        closed, transitions = Key(T_KPIS, p, CLOSED), Key(T_KPIS, p, TRANSITIONS)
        known, sustained, returns = Key(T_KPIS, p, KNOWN), Key(T_KPIS, p, SUSTAINED), Key(T_KPIS, p, RETURNS)
        not_sustained: Key | None = Key(T_KPIS, p, NOT_SUSTAINED)
    else:  # a cohort year: only the rates are printed, the counts are those of the other tables
        y = label(k.cohort_year)
        closed, known = None, None
        transitions, returns = Key(T_BY_YEAR, p, y), Key(T_RETURNS_BY_YEAR, p, y)
        sustained, not_sustained = Key(T_SUSTAINED, p, y), Key(T_NOT_SUSTAINED, p, y)
    counts = {
        "closed_wops": h.count(k.closed_wops, closed),
        "transitions": h.count(k.transitions, transitions),
        "sustained_known": h.count(k.sustained_known, known),
        "sustained": h.count(k.sustained, sustained),
        "returns": h.count(k.returns, returns),
    }
    return dataclasses.replace(
        k,
        **counts,
        transition_rate=h.derived(
            k.transition_rate, k.closed_wops, [closed, transitions], hidden=_hidden(counts["closed_wops"])
        ),
        median_days=h.derived(k.median_days, k.transitions),
        sustained_share=h.derived(
            k.sustained_share,
            k.sustained_known,
            [known, sustained, not_sustained],
            hidden=_hidden(counts["sustained_known"]),
        ),
        return_rate=h.derived(k.return_rate, k.transitions, [returns, transitions]),
    )


def _evaluation(h: _Hider, e: Evaluations, shown_outcomes: set[str]) -> Evaluations:
    """The printed counts by their cell (see `_q5` for which are printed); the others by the
    primary rule, and a share or conversion computed from a hidden one hidden."""
    y, t, o = label(e.year), label(e.trigger), label(e.outcome)
    evaluations = recent = followed = None
    recent_inputs: list[Key] = []
    followed_inputs: list[Key] = []
    if e.year is None:  # the table trigger x outcome, its totals included
        evaluations = Key(T_EVALUATIONS, t, o)
    if e.year is None and e.outcome is None:  # per trigger, or the total
        recent = Key(T_POP, t, RECENT_POP)
        recent_inputs = [Key(T_POP, t, c) for c in (EVALUATIONS, RECENT_POP, NO_RECENT_POP)]
    if e.year is None and e.trigger is None:  # per outcome, or the total
        followed = Key(T_CONVERSION, o, FOLLOWED)
        followed_inputs = [Key(T_CONVERSION, o, c) for c in (EVALUATIONS, FOLLOWED, NOT_FOLLOWED)]
    if e.year is not None and e.outcome is None:  # per year and trigger, or per year
        evaluations = Key(T_EV_BY_YEAR, y, EVALUATIONS if e.trigger is None else t)
        if e.trigger is None:
            recent = Key(T_POP_BY_YEAR, y, RECENT_POP)
            recent_inputs = [Key(T_POP_BY_YEAR, y, c) for c in (EVALUATIONS, RECENT_POP, NO_RECENT_POP)]
    if e.year is not None and e.trigger is None and e.outcome is not None:  # per year and outcome
        evaluations = Key(T_OUTCOME_BY_YEAR, y, o)
        if e.outcome in shown_outcomes:
            followed = Key(T_FOLLOWED, y, o)
            followed_inputs = [evaluations, followed, Key(T_NOT_FOLLOWED, y, o)]
    n = h.count(e.evaluations, evaluations)
    with_recent = h.count(e.with_recent_pop, recent)
    with_transition = h.count(e.followed_by_transition, followed)
    pop_hidden = _hidden(n, with_recent)
    return dataclasses.replace(
        e,
        evaluations=n,
        with_recent_pop=with_recent,
        followed_by_transition=with_transition,
        recent_pop_share=h.derived(e.recent_pop_share, e.evaluations, recent_inputs, hidden=pop_hidden),
        outdated_pop_share=h.derived(e.outdated_pop_share, e.evaluations, recent_inputs, hidden=pop_hidden),
        conversion=h.derived(
            e.conversion, e.evaluations, followed_inputs, hidden=_hidden(n, with_transition)
        ),
    )


def _trigger_share(h: _Hider, s: TriggerShare, evaluations: Mapping[int, int]) -> TriggerShare:
    y = label(s.year)
    return dataclasses.replace(
        s,
        share=h.derived(
            s.share,
            evaluations.get(s.year),
            [Key(T_EV_BY_YEAR, y, s.trigger), Key(T_EV_BY_YEAR, y, EVALUATIONS)],
        ),
    )


def _protected(data: AnswerData, h: _Hider) -> AnswerData:
    q2_2025: Sectors2025 | None = data.q2_2025
    if q2_2025 is not None:
        q2_2025 = dataclasses.replace(
            q2_2025,
            cells=[_sector(h, T_SECTOR_2025, c, c.nace_section_2025) for c in q2_2025.cells],
            classifications=[
                dataclasses.replace(
                    c,
                    transitions=h.count(
                        c.transitions, Key(T_CLASSIFICATION, _classification(c), TRANSITIONS)
                    ),
                )
                for c in q2_2025.classifications
            ],
        )
    q5 = data.q5
    if q5 is not None:
        shown = {o.code for o in q5.outcomes if o.shown_per_year}
        per_year = {
            e.year: e.evaluations
            for e in q5.evaluations
            if e.year is not None and e.trigger is None and e.outcome is None
        }
        q5 = dataclasses.replace(
            q5,
            evaluations=[_evaluation(h, e, shown) for e in q5.evaluations],
            trigger_shares=[_trigger_share(h, s, per_year) for s in q5.trigger_shares],
        )
    return dataclasses.replace(
        data,
        q1=[_transitions(h, r) for r in data.q1],
        q1_by_year=[_cohort(h, T_BY_YEAR, c) for c in data.q1_by_year],
        q2=[_sector(h, T_SECTOR, c, c.nace_section) for c in data.q2],
        q3=[_returns(h, r) for r in data.q3],
        q3_by_year=[_cohort(h, T_RETURNS_BY_YEAR, c) for c in data.q3_by_year],
        q4=None if data.q4 is None else [_kpi(h, k) for k in data.q4],
        q5=q5,
        q2_2025=q2_2025,
    )


def protect(data: AnswerData, k: int = K) -> tuple[AnswerData, Audit]:
    """The answer's figures with disclosure control (counts of 1 to k-1 and what would give them
    back hidden, see the module docstring), and the audit of the pattern. Raises when the audit
    fails (it cannot, for a pattern made by `disclosure.suppress`): an unsafe answer is never
    returned."""
    cells, unpublished = release(data)
    suppression = suppress(cells, k, unpublished=unpublished)
    report = audit(suppression)
    if not report.passed:
        raise RuntimeError(f"disclosure audit failed:\n{report.text()}")
    return _protected(data, _Hider(suppression)), report
