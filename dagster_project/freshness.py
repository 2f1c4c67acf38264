"""Is there anything to do? The published file against the newest files in the landing folder."""

from __future__ import annotations

from pathlib import Path

from .ingestion.landing import LandingError, newest_files, sha256_of
from .publication import read_publication


def up_to_date(landing_dir: Path, published: Path) -> str | None:
    """Why nothing is to do (the published file was made from exactly the newest file of every
    extract, same names and checksums), or None when a run is needed."""
    if not published.exists():
        return None
    try:
        newest = newest_files(landing_dir)
        files = read_publication(published)["input_files"]
    except (LandingError, OSError, KeyError):
        return None
    published_files = {f["extract"]: (f["file_name"], f["checksum_sha256"]) for f in files}
    if set(newest) != set(published_files):
        return None
    for extract, f in newest.items():
        name, checksum = published_files[extract]
        if f.name != name or sha256_of(f.path) != checksum:
            return None
    return "the published file already holds the newest delivery: " + ", ".join(
        sorted(f.name for f in newest.values())
    )
