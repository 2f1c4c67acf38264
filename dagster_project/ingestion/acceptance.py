"""Delivery acceptance: is the landing folder's delivery fit to be loaded at all?

The first stage of every run. It surveys the landing folder (``landing.survey``:
every entry loaded, superseded, ignored or refused, with the reason) and judges the
delivery against the **last published** one, not against the last load (a load
that the gate rejected is no baseline):

- every extract has a usable file;
- no extract goes back in time: its newest file is not older than the file it was
  published from (the data cutoff never moves backwards);
- the pseudonym key is the one the published file and the warehouse were built with
  (a changed key would silently give every person a new ``person_id``).

A full refresh (``--full-refresh``) accepts an older delivery and a new key on
purpose. The volume of each extract is judged after loading, by the GX suite
``raw_loads``, against the rows the published file was made from
(``raw.published_files``, written here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .. import locks
from ..publication.publish import publication_row
from .extracts import EXTRACTS
from .landing import Status, Survey, printable


class DeliveryRefused(ValueError):
    """The delivery is not loaded; the message lists every reason, one per line."""


@dataclass(frozen=True)
class PublishedFile:
    extract: str
    file_name: str
    extraction_date: dt.date
    rows_loaded: int
    checksum_sha256: str


@dataclass(frozen=True)
class Baseline:
    """What the last publication was made from."""

    data_cutoff: dt.date | None
    files: dict[str, PublishedFile]
    key_fingerprint: str | None  # None: published before fingerprints were recorded


class PublishedFileUnreadable(RuntimeError):
    """The published file exists but cannot be opened (a writer holds it, or it is damaged)."""


def read_baseline(published: Path, wait: float | None = None) -> Baseline | None:
    """The last publication's input files, cutoff and key fingerprint; None when nothing is published.
    ``wait``: seconds to wait for a lock on the published file (default: the setting)."""
    if not published.exists():
        return None
    try:
        row = publication_row(published, wait=wait)
    except locks.FileLocked as exc:
        raise PublishedFileUnreadable(str(exc)) from None
    except duckdb.Error as exc:
        raise PublishedFileUnreadable(
            f"the published file {printable(str(published))} cannot be read to compare the "
            f"delivery with it ({type(exc).__name__})"
        ) from None
    published_files = {
        f["extract"]: PublishedFile(
            f["extract"], f["file_name"], f["extraction_date"], f["rows_loaded"], f["checksum_sha256"]
        )
        for f in row["input_files"]
    }
    # A publication from before fingerprints were recorded has no key_fingerprint column.
    return Baseline(row["data_cutoff"], published_files, row.get("key_fingerprint"))


def refusals(
    delivery: Survey,
    baseline: Baseline | None,
    fingerprint: str,
    warehouse_fingerprints: set[str],
    full_refresh: bool = False,
) -> list[str]:
    """Every reason to refuse the delivery, one sentence each (empty: accepted)."""
    reasons = [f"{e.name}: {e.reason}" for e in delivery.refused]
    for extract in EXTRACTS:
        if extract not in delivery.current:
            reasons.append(f"no usable {extract}_YYYYMMDD.csv file in the landing folder")
    if full_refresh:
        return reasons
    if baseline is not None:
        for extract in EXTRACTS:
            f, published = delivery.current.get(extract), baseline.files.get(extract)
            if f and published and f.extraction_date < published.extraction_date:
                reasons.append(
                    f"{f.name} is older than {published.file_name}, from which the published file was "
                    f"made: the published data would go back in time (run with --full-refresh to "
                    "publish an older delivery on purpose)"
                )
        if baseline.key_fingerprint and baseline.key_fingerprint != fingerprint:
            reasons.append(_key_changed("the published file"))
    if warehouse_fingerprints - {fingerprint}:
        reasons.append(_key_changed("the warehouse"))
    return reasons


def _key_changed(what: str) -> str:
    return (
        f"DOORSTROOM_PSEUDONYM_KEY is not the key {what} was built with (the key fingerprints differ): "
        "every person_id would change. Restore the key, or run with --full-refresh to rebuild "
        "everything under the new key on purpose"
    )


def record(con: duckdb.DuckDBPyConnection, delivery: Survey, baseline: Baseline | None) -> None:
    """Write the survey (``raw.landing_files``) and the baseline (``raw.published_files``)."""
    con.execute("begin transaction")
    con.execute("delete from raw.landing_files")
    con.executemany(
        "insert into raw.landing_files values (?, ?, ?, ?, ?, current_timestamp)",
        [[e.name, e.status.value, e.reason, e.extract, e.extraction_date] for e in delivery.entries],
    )
    con.execute("delete from raw.published_files")
    if baseline is not None:
        con.executemany(
            "insert into raw.published_files values (?, ?, ?, ?)",
            [[f.extract, f.file_name, f.extraction_date, f.rows_loaded] for f in baseline.files.values()],
        )
    con.execute("commit")


def current_file_name(con: duckdb.DuckDBPyConnection, extract: str) -> str | None:
    """The file of ``extract`` that the last acceptance chose to load."""
    row = con.execute(
        "select file_name from raw.landing_files where extract = ? and status = ?",
        [extract, Status.CURRENT.value],
    ).fetchone()
    return row[0] if row else None


def warehouse_fingerprints(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The key fingerprints of the current loads in the warehouse."""
    return {
        r[0]
        for r in con.execute("select distinct key_fingerprint from raw.loads where is_current").fetchall()
    }
