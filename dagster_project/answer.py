"""`make answer`: the tables of the parliamentary answer for a period of cohort years.

Q1 transitions per province (with total), Q2 transitions per province and NACE
section, Q3 returns per province. Figures whose follow-up is incomplete are
marked provisional. Reads the published file only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from .settings import Settings

PROVINCE_ORDER = "(select province, sort_order from provinces)"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def q1(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[tuple]:
    return _rows(
        con,
        f"""
        select f.province, sum(f.closed_wops)::bigint, sum(f.transitions)::bigint,
               bool_and(f.follow_up_complete)
        from transitions_by_province f join {PROVINCE_ORDER} p using (province)
        where f.cohort_year between ? and ?
        group by f.province, p.sort_order order by p.sort_order
        """,
        [first, last],
    )


def q3(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[tuple]:
    return _rows(
        con,
        f"""
        select f.province, sum(f.returns)::bigint
        from returns_by_province f join {PROVINCE_ORDER} p using (province)
        where f.cohort_year between ? and ?
        group by f.province, p.sort_order order by p.sort_order
        """,
        [first, last],
    )


def q2(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[tuple]:
    return _rows(
        con,
        """
        select nace_section, province, sum(transitions)::bigint
        from transitions_by_sector
        where cohort_year between ? and ?
        group by all order by all
        """,
        [first, last],
    )


def _table(title: str, header: list[str], rows: list[list[object]]) -> str:
    widths = [max(len(str(v)) for v in col) for col in zip(header, *rows, strict=False)]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    out = [title, line.format(*header), line.format(*["-" * w for w in widths])]
    out += [line.format(*[str(v) for v in r]) for r in rows]
    return "\n".join(out)


def render(database: Path, first: int, last: int) -> str:
    con = duckdb.connect(str(database), read_only=True)
    try:
        r1, r3 = q1(con, first, last), q3(con, first, last)
    finally:
        con.close()
    provisional = any(not r[3] for r in r1)
    mark = " (*)" if provisional else ""
    rows1 = [[p, c, t] for p, c, t, _ in r1] + [["Totaal", sum(r[1] for r in r1), sum(r[2] for r in r1)]]
    rows3 = [[p, n] for p, n in r3] + [["Totaal", sum(r[1] for r in r3)]]
    parts = [
        _table(
            f"Q1 Doorstroom naar NEC per provincie, cohortjaren {first}-{last}{mark}",
            ["provincie", "afgesloten WOP's", "doorstromen"],
            rows1,
        ),
        _table(
            f"Q3 Terugkeer (SEC-NEC-SEC) per provincie, cohortjaren {first}-{last}{mark}",
            ["provincie", "terugkeer"],
            rows3,
        ),
    ]
    if provisional:
        parts.append("(*) voorlopig: de opvolgingsperiode van 24 maanden is nog niet voorbij.")
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--from", dest="first", type=int, default=2019)
    parser.add_argument("--to", dest="last", type=int, default=2022)
    parser.add_argument(
        "--database", type=Path, default=None, help="published DuckDB file (default: DOORSTROOM_PUBLISHED)"
    )
    args = parser.parse_args(argv)
    database = args.database or Settings.from_env().published
    print(render(database, args.first, args.last))
    return 0


if __name__ == "__main__":
    sys.exit(main())
