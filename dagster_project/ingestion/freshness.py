"""Is there anything to do? The published file against the newest files in the landing folder."""

from __future__ import annotations

from pathlib import Path

from .acceptance import read_baseline
from .landing import sha256_of, survey


def up_to_date(landing_dir: Path, published: Path) -> str | None:
    """Why nothing is to do (the published file was made from exactly the newest file of every
    extract, same names and checksums, and no entry of the landing folder is refused), or None
    when a run is needed: the run then says what it found."""
    baseline = read_baseline(published)  # raises PublishedFileUnreadable with a clear message
    if baseline is None:
        return None
    delivery = survey(landing_dir)
    if delivery.refused or set(delivery.current) != set(baseline.files):
        return None
    for extract, f in delivery.current.items():
        published_file = baseline.files[extract]
        if f.name != published_file.file_name or sha256_of(f.path) != published_file.checksum_sha256:
            return None
    return "the published file already holds the newest delivery: " + ", ".join(
        sorted(f.name for f in delivery.current.values())
    )
