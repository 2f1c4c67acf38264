"""The figure records: what the queries return, one named field per figure.

A field that is ``None`` in a grouping column marks a total over that column (a grouping
set's total level); a ``None`` figure is a figure that does not exist (e.g. a rate of 0).
After disclosure control (``protection``) a figure may be ``Suppressed``: not published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Suppressed

Count = int | Suppressed  # a count, or Suppressed after disclosure control
Figure = float | Suppressed  # a rate or share, or Suppressed


@dataclass(frozen=True)
class Period:
    first: int
    last: int
    years: list[int]  # cohort years of the period present in the published tables
    provisional_years: list[int]  # of those, the years whose follow-up is incomplete
    all_years: list[int]  # every published cohort year
    data_cutoff: dt.date | None
    published_at: dt.datetime | None


@dataclass(frozen=True)
class Province:
    name: str
    abbreviation: str | None  # None: a value the reference table does not know


@dataclass(frozen=True)
class NaceSection:
    code: str
    name: str


@dataclass(frozen=True)
class EvaluationCode:
    """An evaluation trigger or outcome, labelled by its reference table."""

    code: str
    label: str  # the code itself when the reference table does not know it
    short_label: str
    shown_per_year: bool  # it has its own column in the table per year
    present: bool  # it occurs in the evaluations of the period


@dataclass(frozen=True)
class ProvinceTransitions:
    """Q1 over the period: closed WOPs and transitions of a province (None: all provinces)."""

    province: str | None
    closed_wops: Count | None
    transitions: Count | None
    transition_rate: Figure | None


@dataclass(frozen=True)
class ProvinceReturns:
    """Q3 over the period: returns of a province and the transitions they follow."""

    province: str | None
    transitions: Count | None
    returns: Count | None


@dataclass(frozen=True)
class CohortCell:
    """A count per cohort year and province; None in either: the total over it."""

    cohort_year: int | None
    province: str | None
    count: Count | None


@dataclass(frozen=True)
class SectorCell:
    """Transitions per NACE section and province; None in either: the total over it."""

    nace_section: str | None
    province: str | None
    transitions: Count | None


@dataclass(frozen=True)
class Sector2025Cell:
    """Transitions per NACE-BEL 2025 section and province; None in either: the total over it."""

    nace_section_2025: str | None
    province: str | None
    transitions: Count | None


@dataclass(frozen=True)
class SectionPair:
    """A NACE-BEL 2025 section and the NACE-BEL 2008 section its transitions lie in."""

    nace_section_2025: str
    nace_section: str


@dataclass(frozen=True)
class ClassificationCount:
    """Transitions of the period whose job's NACE code was delivered in a classification
    (wop_transitions.nace_classification: the one of the job line's start date)."""

    nace_classification: str
    transitions: Count


@dataclass(frozen=True)
class ClassificationReach:
    """How many transitions of the period are dated on or after the start of NACE-BEL 2025."""

    transitions_from_2025: int


@dataclass(frozen=True)
class Sectors2025:
    """Q2 in NACE-BEL 2025: shown when the period holds a transition dated from 2025 on."""

    sections: list[NaceSection]  # nace_sections_2025, in its sort_order
    cells: list[Sector2025Cell]
    classifications: list[ClassificationCount]
    section_pairs: list[SectionPair]  # the 2008 section of each 2025 section, from the data


@dataclass(frozen=True)
class Kpi:
    cohort_year: int | None  # None: the whole period
    province: str | None  # None: every province
    closed_wops: Count
    transitions: Count
    transition_rate: Figure | None
    median_days: int | Suppressed | None
    sustained_known: Count
    sustained: Count
    sustained_share: Figure | None
    returns: Count
    return_rate: Figure | None


@dataclass(frozen=True)
class TransitionMedian:
    cohort_year: int | None  # None: the whole period
    province: str | None  # None: every province
    median_days: int | None


@dataclass(frozen=True)
class Evaluations:
    year: int | None  # None: the whole period
    trigger: str | None  # None: every trigger
    outcome: str | None  # None: every outcome
    evaluations: Count
    with_recent_pop: Count
    recent_pop_share: Figure | None
    outdated_pop_share: Figure | None  # no POP or one older than 12 months
    followed_by_transition: Count
    conversion: Figure | None
    follow_up_complete: bool


@dataclass(frozen=True)
class TriggerShare:
    """The share of a year's evaluations with a trigger shown per year."""

    year: int
    trigger: str
    share: Figure | None


@dataclass(frozen=True)
class AnswerData:
    """Everything the report shows, read from the published file."""

    period: Period
    provinces: list[Province]
    sections: list[NaceSection]
    q1: list[ProvinceTransitions]
    q1_by_year: list[CohortCell]
    q2: list[SectorCell]  # NACE-BEL 2008: the series comparable over the years
    q3: list[ProvinceReturns]
    q3_by_year: list[CohortCell]
    q4: list[Kpi] | None  # None: transition_kpis_by_province not published
    q5: EvaluationData | None  # None: evaluations_by_year not published
    # None: no transition of the period dated from 2025 on, or the NACE-BEL 2025 tables not published
    q2_2025: Sectors2025 | None = None


@dataclass(frozen=True)
class EvaluationData:
    triggers: list[EvaluationCode]
    outcomes: list[EvaluationCode]
    evaluations: list[Evaluations]
    trigger_shares: list[TriggerShare]
