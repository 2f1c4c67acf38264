"""The four extracts of contract part A: their columns and the rule of each column.

This module is the single description of part A; the validation SQL
(``validation.py``) and the raw tables (``raw_schema.sql``) follow it. The values a code
column accepts are reference data: the dbt seeds (``seeds/evaluation_*.csv``), read here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import Enum

from ..settings import PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"


def seed_codes(seed: str, column: str) -> tuple[str, ...]:
    """The values of ``column`` in ``seeds/<seed>.csv``, in sort order."""
    with (SEEDS_DIR / f"{seed}.csv").open(encoding="utf-8", newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r["sort_order"]))
    return tuple(r[column] for r in rows)


class Kind(Enum):
    TEXT = "text"
    INSZ = "insz"
    KBO = "kbo"
    DATE = "date"
    CODE = "code"
    POSTCODE = "postcode"
    NACE = "nace"


@dataclass(frozen=True)
class Column:
    name: str  # as in the contract (upper case); matched case-insensitively
    kind: Kind
    required: bool = True
    codes: tuple[str, ...] = ()
    end_of: str | None = None  # for an end date: the start date column it may not precede

    @property
    def raw_name(self) -> str:
        """Column name in the raw schema (the INSZ becomes its pseudonym)."""
        return "insz_pseudonym" if self.kind is Kind.INSZ else self.name.lower()


@dataclass(frozen=True)
class Extract:
    name: str  # file prefix and raw table name
    columns: tuple[Column, ...]
    key: str | None = None  # unique key column, if any

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


WOP = Extract(
    name="wop",
    key="WOP_ID",
    columns=(
        Column("WOP_ID", Kind.TEXT),
        Column("INSZ", Kind.INSZ),
        Column("MAATREGEL", Kind.CODE, codes=("CM", "IM", "LDE")),
        Column("KBO_WERKGEVER", Kind.KBO),
        Column("STARTDATUM", Kind.DATE),
        Column("EINDDATUM", Kind.DATE, required=False, end_of="STARTDATUM"),
    ),
)

TEWERKSTELLING = Extract(
    name="tewerkstelling",
    columns=(
        Column("INSZ", Kind.INSZ),
        Column("KBO_WERKGEVER", Kind.KBO),
        # Never quarantined: an empty or odd code keeps the row, sector unknown.
        Column("NACE", Kind.NACE, required=False),
        Column("STARTDATUM", Kind.DATE),
        Column("EINDDATUM", Kind.DATE, required=False, end_of="STARTDATUM"),
    ),
)

VERBLIJFPLAATS = Extract(
    name="verblijfplaats",
    columns=(
        Column("INSZ", Kind.INSZ),
        Column("LAND", Kind.TEXT),
        # Required and of 4 digits when LAND is BE; free otherwise.
        Column("POSTCODE", Kind.POSTCODE, required=False),
        Column("GELDIG_VAN", Kind.DATE),
        Column("GELDIG_TOT", Kind.DATE, required=False, end_of="GELDIG_VAN"),
    ),
)

EVALUATIE = Extract(
    name="evaluatie",
    key="EVALUATIE_ID",
    columns=(
        Column("EVALUATIE_ID", Kind.TEXT),
        Column("INSZ", Kind.INSZ),
        Column("WOP_ID", Kind.TEXT, required=False),
        Column("DATUM", Kind.DATE),
        Column("AANLEIDING", Kind.CODE, codes=seed_codes("evaluation_triggers", "trigger")),
        Column("POP_DATUM", Kind.DATE, required=False),
        Column("UITKOMST", Kind.CODE, codes=seed_codes("evaluation_outcomes", "outcome")),
    ),
)

EXTRACTS: dict[str, Extract] = {e.name: e for e in (WOP, TEWERKSTELLING, VERBLIJFPLAATS, EVALUATIE)}
