"""`make answer`: the tables of the parliamentary answer for a period of cohort years.

Q1 transitions per province (with total), Q2 transitions per NACE section and
province (NACE-BEL 2008, the comparable series; also in NACE-BEL 2025 when a transition
of the period is dated from 2025 on), Q3 returns per province, and, when the evaluation
tables are published, Q4 (rates, durations, sustainability, returns) and Q5 (VDAB's
evaluations).
Figures whose follow-up is incomplete are marked provisional. Prints the tables
and writes answer_<from>-<to>.md and a self-contained answer_<from>-<to>.html.
Reads the published file only, read-only.

Layout: ``queries`` reads the figures as ``records``; ``sections`` builds the
presentation ``model`` from them (one module per question); ``render_text``,
``markdown`` and ``html`` (with ``charts``) render that model.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from ..settings import DATA_DIR, Settings
from . import html, markdown, queries, render_text
from .model import Report, Section
from .records import AnswerData
from .sections import build_report

DEFAULT_OUT = DATA_DIR / "answer"


@dataclass(frozen=True)
class Answer:
    data: AnswerData
    report: Report
    text: str
    markdown: str
    html: str

    @property
    def sections(self) -> list[Section]:
        return self.report.sections


class NoDataForPeriod(ValueError):
    """The period holds no published cohort year."""


def build(database: Path, first: int, last: int) -> Answer:
    """Read the published file once and render the answer in its three forms."""
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
    report = build_report(data)
    return Answer(
        data=data,
        report=report,
        text=render_text.render(report),
        markdown=markdown.render(report),
        html=html.render(report, Path(database).name),
    )


def write(answer: Answer, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    stem = f"answer_{answer.data.period.first}-{answer.data.period.last}"
    md, page = out / f"{stem}.md", out / f"{stem}.html"
    md.write_text(answer.markdown, encoding="utf-8")
    page.write_text(answer.html, encoding="utf-8")
    return md, page


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
        help=f"folder for the .md and .html files (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--brief",
        action="store_true",
        help="print the first table of each question only (the files hold all)",
    )
    args = parser.parse_args(argv)
    if args.first > args.last:
        parser.error(f"--from {args.first} is after --to {args.last}: the period must run forward")
    database = args.database or Settings.from_env().published
    try:
        answer = build(database, args.first, args.last)
    except (queries.PublishedFileMissing, NoDataForPeriod) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(render_text.render(answer.report, brief=True) if args.brief else answer.text, end="")
    md, page = write(answer, args.out)
    print(f"\nGeschreven: {md}\n            {page}")
    return 0
