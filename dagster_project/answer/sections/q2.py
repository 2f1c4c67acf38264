"""Vraag 2: transitions per NACE section (of the first regular job) and province.

The NACE-BEL 2008 table is the series comparable over the years. When the period holds a
transition dated from 2025 on, the same table follows in the NACE-BEL 2025 sections, with a
note on how the two relate and how many transition jobs were coded in each classification.
Section letters, names and order come from the published reference tables.
"""

from __future__ import annotations

from ..model import TOTAL, Column, HeatMap, Section, Table, fmt
from ..records import AnswerData, Count, NaceSection, Province, Sectors2025
from .common import mark, period_label

TEXT_SECTION_NAME_WIDTH = 40  # section names in the text table (full names in Markdown and HTML)

# (section, province) -> transitions (Suppressed: not published); None: total
Cells = dict[tuple[str | None, str | None], Count | None]

INTRO = (
    "De sector is de hoofdactiviteit (NACE-BEL 2008) van de werkgever van de eerste NEC-job "
    "na het einde van de WOP; `?` is een onbekende of ongeldige NACE-code."
)
COMPARABLE = "Deze tabel in NACE-BEL 2008 is de reeks die over alle cohortjaren vergelijkbaar is."
COMPARABLE_2025 = (
    "Deze tabel in NACE-BEL 2008 is de reeks die over alle cohortjaren vergelijkbaar is; de codes in "
    "NACE-BEL 2025 zijn erin via hun afdeling omgezet naar een 2008-sectie."
)
# How the NACE-BEL 2025 table relates to the NACE-BEL 2008 one (contract appendix E).
RELATION_2025 = (
    "Dezelfde doorstromen als in de tabel in NACE-BEL 2008, met dezelfde totalen, maar ingedeeld in "
    "de secties van NACE-BEL 2025 (NACE Rev. 2.1, voor jobs die starten vanaf 2025-01-01). Een code "
    "gaat via zijn afdeling (de eerste twee cijfers) naar de andere indeling. Sectie J van 2008 "
    "(informatie en communicatie) is gesplitst in J (uitgeverijen, omroep en content) en K "
    "(telecommunicatie en informatica); elke latere letter schuift één op (financiële activiteiten: "
    "K wordt L, ..., extraterritoriale organisaties: U wordt V). Afdeling 45 (handel in en reparatie "
    "van motorvoertuigen) bestaat niet meer in NACE-BEL 2025 (verdeeld over 46, 47 en 95): een "
    "2008-code van afdeling 45 telt in beide tabellen bij G, een 2025-code van afdeling 45 is "
    "onbekend (?) in beide."
)


def _cells(pairs: list[tuple[str | None, str | None, Count | None]]) -> Cells:
    return {(section, province): transitions for section, province, transitions in pairs}


def _table(
    key: str,
    title: str,
    sections: list[NaceSection],
    provinces: list[Province],
    cells: Cells,
    notes: list[str] | None = None,
) -> Table:
    """Sections (every one of the reference table, the unknown `?` included) x provinces."""
    return Table(
        key=key,
        title=title,
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
                cells.get((s.code, None), 0),
            ]
            for s in sections
        ],
        total=["", TOTAL, *(cells[(None, p.name)] for p in provinces), cells.get((None, None), 0)],
        notes=notes or [],
        legend=True,
    )


def _heatmap(
    title: str, caption: str, sections: list[NaceSection], provinces: list[Province], cells: Cells
) -> HeatMap:
    labels = [f"{s.code} {s.name}" for s in sections]
    return HeatMap(
        title=title,
        caption=caption + " (kleur naar de vierkantswortel van het aantal, zodat ook kleine aantallen "
        "zichtbaar zijn).",
        rows=labels,
        columns=[p.name for p in provinces],
        values=[[cells.get((s.code, p.name), 0) for p in provinces] for s in sections],
        kind="int",
        row_tips=labels,
        sqrt_scale=True,
    )


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def _noun(count: Count) -> str:
    """Singular for exactly one (a suppressed count is plural: "x doorstromen")."""
    return " doorstroom" if count == 1 else " doorstromen"


def _classification_note(q2_2025: Sectors2025) -> str:
    """How many transition jobs were coded in each classification (wop_transitions.nace_classification)."""
    parts = [
        f"bij {fmt(c.transitions)}{_noun(c.transitions) if i == 0 else ''} "
        f"in NACE-BEL {c.nace_classification}"
        for i, c in enumerate(q2_2025.classifications)
    ]
    return (
        f"De NACE-code van de job was {_joined(parts)} gecodeerd (de indeling volgt de startdatum "
        "van de job: kolom nace_classification van wop_transitions)."
    )


def build(data: AnswerData) -> Section:
    period = data.period
    label, m = period_label(period), mark(period)
    cells = _cells([(c.nace_section, c.province, c.transitions) for c in data.q2])
    provinces = [p for p in data.provinces if (None, p.name) in cells]
    table = _table(
        "q2",
        f"Doorstromen per sector (NACE-sectie) en provincie, cohortjaren {label}{m}",
        data.sections,
        provinces,
        cells,
        notes=[COMPARABLE if data.q2_2025 is None else COMPARABLE_2025],
    )
    tables = [table]
    charts = [
        _heatmap(
            "Doorstromen per sector en provincie",
            f"Doorstromen per NACE-sectie en provincie, cohortjaren {label}",
            data.sections,
            provinces,
            cells,
        )
    ]
    q2_2025 = data.q2_2025
    if q2_2025 is not None:
        cells_2025 = _cells([(c.nace_section_2025, c.province, c.transitions) for c in q2_2025.cells])
        provinces_2025 = [p for p in data.provinces if (None, p.name) in cells_2025]
        tables.append(
            _table(
                "q2_2025",
                f"Doorstromen per sector (NACE-BEL 2025-sectie) en provincie, cohortjaren {label}{m}",
                q2_2025.sections,
                provinces_2025,
                cells_2025,
                notes=[RELATION_2025, _classification_note(q2_2025)],
            )
        )
        charts.append(
            _heatmap(
                "Doorstromen per sector (NACE-BEL 2025) en provincie",
                f"Doorstromen per NACE-BEL 2025-sectie en provincie, cohortjaren {label}",
                q2_2025.sections,
                provinces_2025,
                cells_2025,
            )
        )
    return Section(
        key="q2",
        heading="Vraag 2: doorstroom per sector en provincie",
        intro=INTRO,
        tables=tables,
        charts=charts,
    )
