"""The answer's tables: built once from the query rows, rendered as text, Markdown or HTML.

Labels are Dutch (the audience is Flemish); numbers are formatted the Flemish way
(1.234 and 12,3 %). A cell holds its raw value; its column says how to format it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import queries

TOTAL = "Totaal"
MISSING = "\u2013"  # en dash
PROVISIONAL_MARK = "*"

# Short province labels for the wide text table (Q2); legend printed under it.
PROVINCE_ABBREVIATIONS = {
    "Antwerpen": "ANT",
    "Limburg": "LIM",
    "Oost-Vlaanderen": "OVL",
    "Vlaams-Brabant": "VBR",
    "West-Vlaanderen": "WVL",
    "Brussel": "BRU",
    "Buiten Brussel/Vlaanderen": "BUI",
    "Onbekend": "ONB",
}
TRIGGERS = {  # in the contract's order
    "WERKNEMER": "op vraag van de werknemer",
    "WERKGEVER": "op vraag van de werkgever",
    "VIJF_JAAR": "vijfjaarlijkse evaluatie",
}
OUTCOMES = {
    "DOORSTROOMTRAJECT": "doorstroomtraject",
    "BEHOUD": "behoud van de WOP",
    "AANPASSING": "aanpassing van de WOP",
}


def fmt(value: object, kind: str = "int") -> str:
    """A cell as text: int 1.234, pct 12,3 %, days 105, text as is; None as a dash."""
    if value is None:
        return MISSING
    if kind == "int":
        return f"{int(value):,}".replace(",", ".")
    if kind == "pct":
        return f"{float(value) * 100:.1f}".replace(".", ",") + " %"
    if kind == "days":
        return f"{round(float(value)):,}".replace(",", ".")
    return str(value)


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "int"  # text | int | pct | days
    short: str | None = None  # label in the text table, when the full one is too wide

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[object]]
    total: list[object] | None = None
    notes: list[str] = field(default_factory=list)

    def formatted(self, row: Sequence[object]) -> list[str]:
        return [fmt(v, c.kind) for v, c in zip(row, self.columns, strict=True)]


@dataclass(frozen=True)
class Section:
    key: str  # q1 .. q5
    heading: str
    intro: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)


@dataclass
class AnswerData:
    """Everything the report shows, read from the published file."""

    period: queries.Period
    provinces: list[str]
    sections: list[tuple[str, str]]
    q1: list[tuple]
    q1_by_year: list[tuple]
    q2: list[tuple]
    q3: list[tuple]
    q3_by_year: list[tuple]
    q4: list[queries.Kpi] | None  # None: transition_kpis_by_province not published
    q5: list[queries.Evaluations] | None  # None: evaluations_by_year not published


def collect(con, first: int, last: int) -> AnswerData:
    optional = queries.optional_tables(con)
    return AnswerData(
        period=queries.period(con, first, last),
        provinces=queries.provinces(con),
        sections=queries.sections(con),
        q1=queries.q1_by_province(con, first, last),
        q1_by_year=queries.q1_by_year(con, first, last),
        q2=queries.q2_by_section(con, first, last),
        q3=queries.q3_by_province(con, first, last),
        q3_by_year=queries.q3_by_year(con, first, last),
        q4=queries.q4_kpis(con, first, last) if optional["transition_kpis_by_province"] else None,
        q5=queries.q5_evaluations(con, first, last) if optional["evaluations_by_year"] else None,
    )


# --- building the sections -------------------------------------------------------------------


def period_label(data: AnswerData) -> str:
    p = data.period
    return str(p.first) if p.first == p.last else f"{p.first}-{p.last}"


def provisional(data: AnswerData) -> bool:
    return bool(data.period.provisional_years)


def mark(data: AnswerData) -> str:
    return f" ({PROVISIONAL_MARK})" if provisional(data) else ""


def year_label(data: AnswerData, year: int) -> str:
    return f"{year}{PROVISIONAL_MARK}" if year in data.period.provisional_years else str(year)


def provisional_note(data: AnswerData) -> str:
    years = ", ".join(str(y) for y in data.period.provisional_years)
    cutoff = data.period.data_cutoff.isoformat() if data.period.data_cutoff else "?"
    plural = "cohortjaren" if len(data.period.provisional_years) > 1 else "cohortjaar"
    return (
        f"({PROVISIONAL_MARK}) Voorlopig: voor {plural} {years} is de opvolgingsperiode van 24 maanden "
        f"na het einde van de WOP op de datum van de gegevens ({cutoff}) nog niet voorbij; "
        "deze cijfers kunnen nog stijgen."
    )


def _cells(rows: list[tuple], n_keys: int) -> dict[tuple, tuple]:
    """Cube rows keyed by their grouping values (None = total)."""
    return {tuple(r[:n_keys]): tuple(r[n_keys:]) for r in rows}


def _period_ordered(data: AnswerData, rows: list[tuple]) -> tuple[list[tuple], tuple | None]:
    """Rows per province in province order (as the queries order them) and the total row."""
    return [r for r in rows if r[0] is not None], next((r for r in rows if r[0] is None), None)


def q1_section(data: AnswerData) -> Section:
    label, m = period_label(data), mark(data)
    cells, total = _period_ordered(data, data.q1)
    overview = Table(
        key="q1",
        title=f"Doorstroom naar het NEC per provincie, cohortjaren {label}{m}",
        columns=[
            Column("provincie", "text"),
            Column("afgesloten WOP's"),
            Column("doorstromen"),
            Column("doorstroomgraad", "pct"),
        ],
        rows=[[p, c, t, t / c if c else None] for p, c, t in cells],
        total=[TOTAL, total[1], total[2], total[2] / total[1] if total and total[1] else None]
        if total
        else None,
    )
    by_year = _cells(data.q1_by_year, 2)
    years = data.period.years
    matrix = Table(
        key="q1_by_year",
        title=f"Doorstromen per provincie en cohortjaar{m}",
        columns=[Column("provincie", "text")]
        + [Column(year_label(data, y)) for y in years]
        + [Column(TOTAL)],
        rows=[
            [p] + [by_year.get((y, p), (0, 0))[1] for y in years] + [by_year.get((None, p), (0, 0))[1]]
            for p, _, _ in cells
        ],
        total=[TOTAL]
        + [by_year.get((y, None), (0, 0))[1] for y in years]
        + [by_year.get((None, None), (0, 0))[1]],
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
    )


def q2_section(data: AnswerData) -> Section:
    cells = _cells(data.q2, 2)
    provinces = [p for p in data.provinces if (None, p) in cells]
    sections = [(s, name) for s, name in data.sections if (s, None) in cells]
    table = Table(
        key="q2",
        title=f"Doorstromen per sector (NACE-sectie) en provincie, cohortjaren {period_label(data)}"
        + mark(data),
        columns=[Column("sectie", "text"), Column("omschrijving", "text")]
        + [Column(p, short=PROVINCE_ABBREVIATIONS.get(p)) for p in provinces]
        + [Column(TOTAL)],
        rows=[
            [s, name] + [cells.get((s, p), (0,))[0] for p in provinces] + [cells[(s, None)][0]]
            for s, name in sections
        ],
        total=["", TOTAL] + [cells[(None, p)][0] for p in provinces] + [cells.get((None, None), (0,))[0]],
    )
    return Section(
        key="q2",
        heading="Vraag 2: doorstroom per sector en provincie",
        intro=(
            "De sector is de hoofdactiviteit (NACE-BEL 2008) van de werkgever van de eerste NEC-job "
            "na het einde van de WOP; `?` is een onbekende of ongeldige NACE-code."
        ),
        tables=[table],
    )


def q3_section(data: AnswerData) -> Section:
    q1 = {r[0]: r for r in data.q1}
    cells, total = _period_ordered(data, data.q3)
    table = Table(
        key="q3",
        title=f"Terugkeer naar een WOP na doorstroom (SEC-NEC-SEC), cohortjaren {period_label(data)}"
        + mark(data),
        columns=[Column("provincie", "text"), Column("doorstromen"), Column("terugkeer")],
        rows=[[p, q1.get(p, (p, 0, 0))[2], n] for p, n in cells],
        total=[TOTAL, q1.get(None, (None, 0, 0))[2], total[1] if total else 0],
    )
    return Section(
        key="q3",
        heading="Vraag 3: terugkeer naar de sociale economie",
        intro=(
            "Een terugkeer is een nieuwe WOP (elke maatregel, ook nog lopend) die start na een doorstroom "
            "van dezelfde persoon; hij telt bij het cohortjaar en de provincie van die doorstroom."
        ),
        tables=[table],
    )


KPI_METRICS = (
    ("transition_rate", "Doorstroomgraad (doorstromen / afgesloten WOP's)", "pct"),
    ("median_days", "Mediaan aantal dagen tot de doorstroom", "days"),
    ("sustained_share", "Aandeel duurzame doorstroom (nog NEC-job 12 maanden later)", "pct"),
    ("return_rate", "Terugkeergraad (terugkeer / doorstromen)", "pct"),
)


def q4_section(data: AnswerData) -> Section | None:
    if data.q4 is None:
        return None
    m = mark(data)
    kpis = {(k.cohort_year, k.province): k for k in data.q4}
    provinces = [p for p in data.provinces if (None, p) in kpis]
    years = data.period.years

    def row(label: str, k: queries.Kpi | None) -> list[object]:
        if k is None:
            return [label] + [None] * 9
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

    overview = Table(
        key="q4",
        title=f"Kerncijfers per provincie, cohortjaren {period_label(data)}{m}",
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
        rows=[row(p, kpis.get((None, p))) for p in provinces],
        total=row(TOTAL, kpis.get((None, None))),
        notes=[
            "Duurzaamheid gekend: doorstromen waarvan de dag 12 maanden na de doorstroom op of voor de "
            "datum van de gegevens valt; duurzaam: daarvan met een NEC-job op die dag. Mediaan: de "
            "onderste middelste waarde."
        ],
    )
    tables = [overview]
    for attr, title, kind in KPI_METRICS:
        tables.append(
            Table(
                key=f"q4_{attr}",
                title=f"{title}, per provincie en cohortjaar{m}",
                columns=[Column("provincie", "text")]
                + [Column(year_label(data, y), kind) for y in years]
                + [Column(f"{period_label(data)}", kind)],
                rows=[
                    [p]
                    + [getattr(kpis[(y, p)], attr) if (y, p) in kpis else None for y in years]
                    + [getattr(kpis[(None, p)], attr)]
                    for p in provinces
                ],
                total=[TOTAL]
                + [getattr(kpis[(y, None)], attr) if (y, None) in kpis else None for y in years]
                + [getattr(kpis[(None, None)], attr) if (None, None) in kpis else None],
            )
        )
    return Section(
        key="q4",
        heading="Vraag 4: evaluatie van de doorstroom",
        intro=(
            "Doorstroomgraad, tijd tot de doorstroom, duurzaamheid (nog aan het werk in het NEC 12 "
            "maanden na de doorstroom) en terugkeer, per provincie en cohortjaar "
            "(tabel transition_kpis_by_province)."
        ),
        tables=tables,
    )


def _ordered_codes(values: set[str | None], labels: dict[str, str]) -> list[str]:
    present = {v for v in values if v is not None}
    return [c for c in labels if c in present] + sorted(present - set(labels))


def q5_section(data: AnswerData) -> Section | None:
    if data.q5 is None:
        return None
    ev = {(e.year, e.trigger, e.outcome): e for e in data.q5}
    triggers = _ordered_codes({e.trigger for e in data.q5}, TRIGGERS)
    outcomes = _ordered_codes({e.outcome for e in data.q5}, OUTCOMES)
    years = sorted({e.year for e in data.q5 if e.year is not None})
    label = period_label(data)
    incomplete = [y for y in years if not ev[(y, None, None)].follow_up_complete]
    conv_mark = f" ({PROVISIONAL_MARK})" if incomplete else ""

    def n(key: tuple) -> int:
        return ev[key].evaluations if key in ev else 0

    by_outcome = Table(
        key="q5",
        title=f"Evaluaties per aanleiding en uitkomst, evaluatiejaren {label}",
        columns=[Column("aanleiding", "text")]
        + [Column(OUTCOMES.get(o, o)) for o in outcomes]
        + [Column(TOTAL)],
        rows=[
            [TRIGGERS.get(t, t)] + [n((None, t, o)) for o in outcomes] + [n((None, t, None))]
            for t in triggers
        ],
        total=[TOTAL] + [n((None, None, o)) for o in outcomes] + [n((None, None, None))],
    )

    def pop_row(label_: str, e: queries.Evaluations | None) -> list[object]:
        if e is None:
            return [label_, 0, 0, None, None]
        outdated = None if e.recent_pop_share is None else 1 - e.recent_pop_share
        return [label_, e.evaluations, e.with_recent_pop, e.recent_pop_share, outdated]

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
        rows=[pop_row(TRIGGERS.get(t, t), ev.get((None, t, None))) for t in triggers],
        total=pop_row(TOTAL, ev.get((None, None, None))),
        notes=["Recent: een POP van ten hoogste 12 maanden oud op de dag van de evaluatie."],
    )

    def conv_row(label_: str, e: queries.Evaluations | None) -> list[object]:
        if e is None:
            return [label_, 0, 0, None]
        return [label_, e.evaluations, e.followed_by_transition, e.conversion]

    conversion = Table(
        key="q5_conversion",
        title=f"Doorstroom binnen 24 maanden na de evaluatie, per uitkomst, evaluatiejaren {label}"
        + conv_mark,
        columns=[
            Column("uitkomst", "text"),
            Column("evaluaties"),
            Column("gevolgd door doorstroom"),
            Column("conversie", "pct"),
        ],
        rows=[conv_row(OUTCOMES.get(o, o), ev.get((None, None, o))) for o in outcomes],
        total=conv_row(TOTAL, ev.get((None, None, None))),
        notes=[
            f"({PROVISIONAL_MARK}) Voorlopig: voor "
            f"{'evaluatiejaren' if len(incomplete) > 1 else 'evaluatiejaar'} "
            f"{', '.join(str(y) for y in incomplete)} is de opvolging van 24 maanden na de evaluatie "
            "nog niet voorbij."
        ]
        if incomplete
        else [],
    )
    per_year = Table(
        key="q5_by_year",
        title="Evaluaties per jaar: aanleiding, POP en conversie van doorstroomtrajecten",
        columns=[
            Column("jaar", "text"),
            Column("evaluaties"),
            Column("vijfjaarlijks", "pct"),
            Column("recent POP", "pct"),
            Column("conversie doorstroomtraject", "pct"),
            Column("conversie behoud", "pct"),
        ],
        rows=[
            [
                f"{y}{PROVISIONAL_MARK}" if y in incomplete else str(y),
                n((y, None, None)),
                n((y, "VIJF_JAAR", None)) / n((y, None, None)) if n((y, None, None)) else None,
                ev[(y, None, None)].recent_pop_share,
                ev[(y, None, "DOORSTROOMTRAJECT")].conversion
                if (y, None, "DOORSTROOMTRAJECT") in ev
                else None,
                ev[(y, None, "BEHOUD")].conversion if (y, None, "BEHOUD") in ev else None,
            ]
            for y in years
        ],
    )
    return Section(
        key="q5",
        heading="Vraag 5: de evaluaties door VDAB",
        intro=(
            "Evaluaties op de werkvloer per aanleiding en uitkomst, of er een recent POP was, en hoe vaak "
            "een persoon daarna binnen 24 maanden een NEC-job had (tabel evaluations_by_year; jaar van "
            "de evaluatie)."
        ),
        tables=[by_outcome, pop, conversion, per_year],
    )


def build_sections(data: AnswerData) -> list[Section]:
    sections = [q1_section(data), q2_section(data), q3_section(data)]
    sections += [s for s in (q4_section(data), q5_section(data)) if s is not None]
    return sections


def report_notes(data: AnswerData) -> list[str]:
    """Notes for the whole report: provisional figures, years without data."""
    notes = []
    if provisional(data):
        notes.append(provisional_note(data))
    p = data.period
    missing = sorted(set(range(p.first, p.last + 1)) - set(p.years))
    if missing:
        notes.append(
            "Geen afgesloten WOP's in cohortjaar " + ", ".join(str(y) for y in missing) + " (geen cijfers)."
        )
    return notes


# --- text ------------------------------------------------------------------------------------


def render_table_text(table: Table) -> str:
    header = [c.short or c.label for c in table.columns]
    body = [table.formatted(r) for r in table.rows]
    total = [table.formatted(table.total)] if table.total is not None else []
    widths = [max(len(v) for v in col) for col in zip(header, *body, *total, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if c.numeric else v.ljust(w)
            for v, w, c in zip(cells, widths, table.columns, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [table.title, line(header), rule, *(line(r) for r in body)]
    if total:
        out += [rule, line(total[0])]
    out += table.notes
    return "\n".join(out)


TEXT_SECTION_NAME_WIDTH = 40


def _text_table(table: Table) -> Table:
    """The Q2 table with section names shortened for a terminal (full names in Markdown/HTML)."""
    if table.key != "q2":
        return table
    w = TEXT_SECTION_NAME_WIDTH

    def short(name: object) -> object:
        return name if not isinstance(name, str) or len(name) <= w else name[: w - 1].rstrip() + "…"

    legend = ", ".join(f"{c.short} {c.label}" for c in table.columns if c.short)
    return Table(
        table.key,
        table.title,
        table.columns,
        [[r[0], short(r[1]), *r[2:]] for r in table.rows],
        table.total,
        [*table.notes, legend],
    )


def render_text(data: AnswerData, sections: list[Section], brief: bool = False) -> str:
    """The answer for a terminal; ``brief``: the first table of each question only."""
    p = data.period
    head = [
        f"Parlementaire vraag over doorstroom uit collectief maatwerk: cohortjaren {period_label(data)}",
        f"Gegevens tot en met {p.data_cutoff}, gepubliceerd op {p.published_at:%Y-%m-%d %H:%M}"
        if p.published_at
        else f"Gegevens tot en met {p.data_cutoff}",
    ]
    parts = ["\n".join(head), summary(data)]
    for section in sections:
        block = [f"== {section.heading} =="]
        shown = section.tables[:1] if brief else section.tables
        block += [render_table_text(_text_table(t)) for t in shown]
        block += section.notes
        if len(shown) < len(section.tables):
            block.append(f"({len(section.tables) - len(shown)} tabel(len) meer in het rapport)")
        parts.append("\n\n".join(block))
    notes = report_notes(data)
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join(parts) + "\n"


def summary(data: AnswerData) -> str:
    """One sentence with the period's main figures."""
    total = next((r for r in data.q1 if r[0] is None), None)
    returns = next((r[1] for r in data.q3 if r[0] is None), 0)
    if total is None or not total[1]:
        return f"Geen afgesloten WOP's in cohortjaren {period_label(data)}."
    closed, transitions = total[1], total[2]
    return (
        f"In de cohortjaren {period_label(data)} werden {fmt(closed)} WOP's collectief maatwerk afgesloten; "
        f"{fmt(transitions)} ervan ({fmt(transitions / closed, 'pct')}) stroomden binnen 24 maanden door "
        f"naar een job in het normaal economisch circuit, en {fmt(returns)} keer volgde daarna een "
        f"nieuwe WOP{mark(data)}."
    )
