"""`make answer`: the tables of the parliamentary answer for a period of cohort years.

Q1 transitions per province (with total), Q2 transitions per NACE section and
province (NACE-BEL 2008, the comparable series; also in NACE-BEL 2025 when a transition
of the period is dated from 2025 on), Q3 returns per province, and, when the evaluation
tables are published, Q4 (rates, durations, sustainability, returns) and Q5 (VDAB's
evaluations).
Figures whose follow-up is incomplete are marked provisional. Prints the tables
and writes answer_<from>-<to>.md, a self-contained answer_<from>-<to>.html and the
workbook answer_<from>-<to>.xlsx (a sheet per table).
Reads the published file only, read-only.

Disclosure control is on by default (``protection``, ``disclosure``): counts of 1 to k-1
(k = 5, ``--k``), the cells that would give them back and every rate, share or median
computed on them or on fewer than k units are printed as x, and an audit proves that no hidden
count can be narrowed to fewer than k values. ``--exact`` writes the exact figures instead, for
internal use only, to files named answer_<from>-<to>_intern.

Layout: ``queries`` reads the figures as ``records``; ``sections`` builds the
presentation ``model`` from them (one module per question); ``render_text``,
``markdown``, ``html`` (with ``charts``) and ``excel`` render that model.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

from ..settings import DATA_DIR, Settings
from . import excel, html, markdown, queries, render_text
from .disclosure import Audit, K, rule
from .model import SUPPRESSED_MARK, Report, Section
from .protection import protect
from .records import AnswerData
from .sections import build_report

DEFAULT_OUT = DATA_DIR / "answer"
INTERNAL_SUFFIX = "_intern"  # the files of the exact version: never mistaken for the public ones
INTERNAL_WARNING = (
    "Interne versie met de exacte cijfers, zonder geheimhouding van kleine aantallen: niet publiceren."
)


@dataclass(frozen=True)
class Answer:
    data: AnswerData
    report: Report
    text: str
    markdown: str
    html: str
    audit: Audit | None = None  # the disclosure audit; None for the exact version
    exact: bool = False  # the exact internal version: no disclosure control

    @property
    def sections(self) -> list[Section]:
        return self.report.sections


class NoDataForPeriod(ValueError):
    """The period holds no published cohort year."""


def build(database: Path, first: int, last: int, k: int = K, exact: bool = False) -> Answer:
    """Read the published file once and render the answer in its three forms, with disclosure
    control at threshold ``k`` (`protection.protect`), or the exact figures when ``exact`` (for
    internal use only: the report says so at the top)."""
    if first > last:
        raise ValueError(f"--from {first} is after --to {last}: the period must run forward")
    con = queries.connect(database)
    try:
        data = queries.collect(con, first, last)
    finally:
        con.close()
    if not data.period.years:
        years = data.period.all_years
        available = f"{years[0]}-{years[-1]}" if years else "none"
        raise NoDataForPeriod(
            f"no cohort year between {first} and {last} in {database} (published cohort years: {available})"
        )
    checked: Audit | None = None
    if not exact:
        data, checked = protect(data, k)
    report = build_report(data)
    if exact:
        report = dataclasses.replace(report, summary=f"{INTERNAL_WARNING} {report.summary}")
    else:
        note = f"{SUPPRESSED_MARK} = niet gepubliceerd. {rule(k)}"
        report = dataclasses.replace(report, notes=[*report.notes, note])
    return Answer(
        data=data,
        report=report,
        text=render_text.render(report),
        markdown=markdown.render(report),
        html=html.render(report, Path(database).name),
        audit=checked,
        exact=exact,
    )


def write(answer: Answer, out: Path) -> tuple[Path, Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    stem = f"answer_{answer.data.period.first}-{answer.data.period.last}"
    if answer.exact:
        stem += INTERNAL_SUFFIX
    md, page, book = out / f"{stem}.md", out / f"{stem}.html", out / f"{stem}.xlsx"
    md.write_text(answer.markdown, encoding="utf-8")
    page.write_text(answer.html, encoding="utf-8")
    book.write_bytes(excel.render(answer.report))
    return md, page, book


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dagster_project.answer",
        description=(__doc__ or "").split("\n\n")[0],
    )
    parser.add_argument(
        "--from", dest="first", type=int, default=2019, help="first cohort year (default 2019)"
    )
    parser.add_argument("--to", dest="last", type=int, default=2022, help="last cohort year (default 2022)")
    parser.add_argument(
        "--database", type=Path, default=None, help="published DuckDB file (default: DOORSTROOM_PUBLISHED)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"folder for the .md, .html and .xlsx files (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--brief",
        action="store_true",
        help="print the first table of each question only (the files hold all)",
    )
    parser.add_argument(
        "--k",
        type=int,
        default=K,
        metavar="N",
        help=f"disclosure threshold: counts of 1 to N-1 and figures on fewer than N units are hidden "
        f"(default {K})",
    )
    parser.add_argument(
        "--exact",
        action="store_true",
        help="the exact internal version, without disclosure control: FOR INTERNAL USE ONLY, never "
        f"publish it; its files are named answer_<from>-<to>{INTERNAL_SUFFIX}",
    )
    args = parser.parse_args(argv)
    if args.first > args.last:
        parser.error(f"--from {args.first} is after --to {args.last}: the period must run forward")
    if args.k < 1:
        parser.error(f"--k {args.k}: the threshold must be at least 1")
    database = args.database or Settings.from_env().published
    try:
        answer = build(database, args.first, args.last, k=args.k, exact=args.exact)
    except (queries.PublishedFileMissing, NoDataForPeriod) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(render_text.render(answer.report, brief=True) if args.brief else answer.text, end="")
    md, page, book = write(answer, args.out)
    print(f"\nGeschreven: {md}\n            {page}\n            {book}")
    if answer.audit is not None:
        print(f"\n{answer.audit.text()}")
    else:
        print(f"\n{INTERNAL_WARNING}", file=sys.stderr)
    return 0
