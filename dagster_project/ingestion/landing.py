"""The landing folder: deliveries of files named ``<extract>_<YYYYMMDD>.csv``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .extracts import EXTRACTS

FILE_PATTERN = re.compile(r"^(?P<extract>[a-z]+)_(?P<date>\d{8})\.csv$")


class LandingError(ValueError):
    """A landing-folder problem that stops ingestion (names the file)."""


@dataclass(frozen=True)
class ExtractFile:
    extract: str
    path: Path
    extraction_date: dt.date

    @property
    def name(self) -> str:
        return self.path.name


def parse_file_name(path: Path) -> ExtractFile | None:
    """The extract and extraction date of a landing file, or None if not an extract file."""
    match = FILE_PATTERN.match(path.name)
    if not match or match["extract"] not in EXTRACTS:
        return None
    try:
        date = dt.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError as exc:
        raise LandingError(f"{path.name}: '{match['date']}' is not a valid extraction date") from exc
    return ExtractFile(match["extract"], path, date)


def extract_files(landing_dir: Path) -> list[ExtractFile]:
    """Every extract file in the landing folder, oldest first."""
    if not landing_dir.is_dir():
        raise LandingError(f"landing folder {landing_dir} does not exist")
    files = [f for p in sorted(landing_dir.iterdir()) if (f := parse_file_name(p))]
    return sorted(files, key=lambda f: (f.extraction_date, f.extract))


def newest_files(landing_dir: Path) -> dict[str, ExtractFile]:
    """The newest file of each extract present: the current truth of that extract."""
    newest: dict[str, ExtractFile] = {}
    for f in extract_files(landing_dir):
        newest[f.extract] = f  # sorted oldest first, so the last one wins
    return newest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
