"""The landing folder: which of its entries make up the delivery, and why the others do not.

Contract part A names a delivery's files ``<extract>_<YYYYMMDD>.csv``. The survey
accounts for every entry of the folder, with a status and a reason:

- ``current``: the newest file of its extract, the one that is loaded;
- ``superseded``: an older file of an extract, kept for audit, not loaded;
- ``ignored``: not an extract file at all (another kind of file, a hidden file, a folder);
- ``refused``: meant as an extract file but unusable, which refuses the whole delivery:
  a ``.csv`` or ``<extract>_...`` name that is not exactly ``<extract>_<YYYYMMDD>.csv``
  (upper case, another date form, a control character), an impossible date, an
  extraction date after today (plus one day of tolerance), a symbolic link that leaves
  the landing folder or leads nowhere, or a folder.

Names are shown with control characters escaped and INSZ-like numbers masked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from .extracts import EXTRACTS
from .pseudonym import mask_numbers

FILE_PATTERN = re.compile(r"(?P<extract>[a-z]+)_(?P<date>[0-9]{8})\.csv")  # used with fullmatch
# An extraction date may lie this many days after the run's date (Brussels time): an
# extract made just after midnight elsewhere, or a run that started before midnight.
FUTURE_TOLERANCE_DAYS = 1
TIMEZONE = ZoneInfo("Europe/Brussels")


class LandingError(ValueError):
    """A landing-folder problem that stops ingestion (names the file, never its content)."""


class Status(StrEnum):
    CURRENT = "current"
    SUPERSEDED = "superseded"
    IGNORED = "ignored"
    REFUSED = "refused"


@dataclass(frozen=True)
class ExtractFile:
    extract: str
    path: Path
    extraction_date: dt.date

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Entry:
    """One entry of the landing folder and what the survey made of it."""

    name: str  # printable: control characters escaped
    status: Status
    reason: str
    extract: str | None = None
    extraction_date: dt.date | None = None


@dataclass(frozen=True)
class Survey:
    landing_dir: Path
    today: dt.date
    entries: tuple[Entry, ...]
    current: dict[str, ExtractFile]  # extract -> its newest usable file

    @property
    def refused(self) -> list[Entry]:
        return [e for e in self.entries if e.status is Status.REFUSED]

    def files(self) -> list[ExtractFile]:
        """Every usable extract file (current and superseded), oldest first."""
        usable = [e for e in self.entries if e.status in (Status.CURRENT, Status.SUPERSEDED)]
        files = [ExtractFile(e.extract, self.landing_dir / e.name, e.extraction_date) for e in usable]
        return sorted(files, key=lambda f: (f.extraction_date, f.extract))


def today() -> dt.date:
    """The run's date in Brussels."""
    return dt.datetime.now(TIMEZONE).date()


def printable(name: str) -> str:
    """A file name fit for a message: control and other unprintable characters escaped, and
    a number that could be an INSZ masked (a supplier may name a file after a person)."""
    return mask_numbers("".join(c if c.isprintable() else repr(c)[1:-1] for c in name))


def _looks_like_an_extract(name: str) -> bool:
    lower = name.strip().lower()
    return lower.endswith(".csv") or any(lower.startswith(e) for e in EXTRACTS)


EXPECTED_NAME = "<extract>_YYYYMMDD.csv, lower case, with <extract> one of " + ", ".join(EXTRACTS)


def _judge(path: Path, root: Path, run_date: dt.date) -> Entry:
    """The status of one entry, before the newest file of each extract is picked."""
    name = printable(path.name)
    match = FILE_PATTERN.fullmatch(path.name)
    if not match or match["extract"] not in EXTRACTS:
        if path.name.startswith("."):
            return Entry(name, Status.IGNORED, "a hidden file")
        if _looks_like_an_extract(path.name):
            return Entry(name, Status.REFUSED, f"not a valid extract file name (expected {EXPECTED_NAME})")
        if path.is_dir() and not path.is_symlink():
            return Entry(name, Status.IGNORED, "a folder")
        return Entry(name, Status.IGNORED, f"not an extract file (only {EXPECTED_NAME} files are read)")
    extract = match["extract"]
    try:
        date = dt.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        return Entry(name, Status.REFUSED, f"{match['date']} is not a date (YYYYMMDD)", extract)
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root):
            return Entry(name, Status.REFUSED, "a symbolic link out of the landing folder", extract, date)
        if not target.exists():
            return Entry(name, Status.REFUSED, "a symbolic link to nothing", extract, date)
    if not path.exists():
        return Entry(name, Status.REFUSED, "vanished while the folder was read", extract, date)
    if not path.is_file():
        return Entry(name, Status.REFUSED, "not a regular file (a folder?)", extract, date)
    latest = run_date + dt.timedelta(days=FUTURE_TOLERANCE_DAYS)
    if date > latest:
        return Entry(
            name,
            Status.REFUSED,
            f"extraction date {date} lies in the future (after {latest}: today {run_date} "
            f"plus {FUTURE_TOLERANCE_DAYS} day of tolerance)",
            extract,
            date,
        )
    return Entry(name, Status.CURRENT, "", extract, date)


def survey(landing_dir: Path, run_date: dt.date | None = None) -> Survey:
    """Every entry of the landing folder with its status; the newest usable file per extract."""
    run_date = run_date or today()
    if not landing_dir.is_dir():
        raise LandingError(f"landing folder {printable(str(landing_dir))} does not exist")
    root = landing_dir.resolve()
    judged = [_judge(p, root, run_date) for p in sorted(landing_dir.iterdir())]
    newest: dict[str, Entry] = {}
    for e in judged:
        if e.status is Status.CURRENT and (
            e.extract not in newest or e.extraction_date > newest[e.extract].extraction_date
        ):
            newest[e.extract] = e
    entries = []
    for e in judged:
        if e.status is Status.CURRENT and newest[e.extract] is not e:
            e = Entry(
                e.name,
                Status.SUPERSEDED,
                f"older than {newest[e.extract].name}",
                e.extract,
                e.extraction_date,
            )
        elif e.status is Status.CURRENT:
            e = Entry(e.name, Status.CURRENT, "the newest file of its extract", e.extract, e.extraction_date)
        entries.append(e)
    current = {x: ExtractFile(x, landing_dir / e.name, e.extraction_date) for x, e in newest.items()}
    return Survey(landing_dir, run_date, tuple(entries), current)


def parse_file_name(path: Path) -> ExtractFile | None:
    """The extract and extraction date of a strictly named extract file, else None."""
    match = FILE_PATTERN.fullmatch(path.name)
    if not match or match["extract"] not in EXTRACTS:
        return None
    try:
        date = dt.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        return None
    return ExtractFile(match["extract"], path, date)


def extract_files(landing_dir: Path) -> list[ExtractFile]:
    """Every usable extract file in the landing folder, oldest first."""
    return survey(landing_dir).files()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
