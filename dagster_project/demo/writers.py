"""Writing extracts in the contract's CSV form through DuckDB.

Good rows are typed pandas frames; DuckDB renders each row as one line (UTF-8, `;`,
empty field = null, dates YYYY-MM-DD; no value needs quoting) and writes them in
order. Per chunk, a few exact duplicates of good rows and a few bad lines are
mixed in at random places; the line numbers of the bad lines are recorded.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dagster_project.demo.badrows import KINDS, TOO_NEW, spoil
from dagster_project.demo.dates import NULL_DAY

BAD_RATE = 0.0025
DUP_RATE = 0.001


def _date(c: str) -> str:
    return f"CAST(DATE '1970-01-01' + CAST({c} AS INTEGER) AS VARCHAR)"


def _open_date(c: str) -> str:
    return f"CASE WHEN {c} = {int(NULL_DAY)} THEN '' ELSE {_date(c)} END"


def _digits(c: str, width: int) -> str:
    return f"lpad(CAST({c} AS VARCHAR), {width}, '0')"


def _text(c: str) -> str:
    return f"coalesce(CAST({c} AS VARCHAR), '')"


@dataclass(frozen=True)
class FileLayout:
    name: str
    columns: tuple[str, ...]
    fields: tuple[str, ...]  # SQL expressions over the typed frame, one per column


FILE_LAYOUTS = {
    "wop": FileLayout(
        "wop",
        ("WOP_ID", "INSZ", "MAATREGEL", "KBO_WERKGEVER", "STARTDATUM", "EINDDATUM"),
        (
            f"'WOP' || {_digits('wop_id', 8)}",
            _digits("insz", 11),
            _text("measure"),
            _digits("kbo", 10),
            _date("start_day"),
            _open_date("end_day"),
        ),
    ),
    "tewerkstelling": FileLayout(
        "tewerkstelling",
        ("INSZ", "KBO_WERKGEVER", "NACE", "STARTDATUM", "EINDDATUM"),
        (
            _digits("insz", 11),
            _digits("kbo", 10),
            _text("nace"),
            _date("start_day"),
            _open_date("end_day"),
        ),
    ),
    "verblijfplaats": FileLayout(
        "verblijfplaats",
        ("INSZ", "LAND", "POSTCODE", "GELDIG_VAN", "GELDIG_TOT"),
        (
            _digits("insz", 11),
            _text("land"),
            "CASE WHEN postal = 0 THEN '' ELSE CAST(postal AS VARCHAR) END",
            _date("start_day"),
            _open_date("end_day"),
        ),
    ),
    "evaluatie": FileLayout(
        "evaluatie",
        ("EVALUATIE_ID", "INSZ", "WOP_ID", "DATUM", "AANLEIDING", "POP_DATUM", "UITKOMST"),
        (
            f"'EV' || {_digits('evaluatie_id', 9)}",
            _digits("insz", 11),
            f"CASE WHEN wop_id < 0 THEN '' ELSE 'WOP' || {_digits('wop_id', 8)} END",
            _date("datum"),
            _text("trigger"),
            _open_date("pop_day"),
            _text("outcome"),
        ),
    ),
}

# Fresh keys for bad rows: far above any generated key.
_FRESH_PREFIX = {"wop": ("WOP", 8, 90_000_000), "evaluatie": ("EV", 9, 900_000_000)}


@dataclass
class WriteResult:
    path: Path
    rows: int = 0  # data rows (without the header)
    duplicates: int = 0
    bad_lines: list[int] = field(default_factory=list)


def write_extract(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    extract: FileLayout,
    chunks: Iterable[tuple[pd.DataFrame, np.random.Generator]],
    too_new: np.ndarray = TOO_NEW,
) -> WriteResult:
    """Write the header and the chunks; `too_new` are the dates that lie after the
    extraction date plus one year (for the bad rows of that kind)."""
    result = WriteResult(path=path)
    part = path.with_name(path.name + ".part")
    line = " || ';' || ".join(extract.fields)
    fresh_counter = [0]

    def fresh_keys(n: int) -> np.ndarray:
        prefix, width, base = _FRESH_PREFIX[extract.name]
        ids = base + fresh_counter[0] + np.arange(n)
        fresh_counter[0] += n
        return np.char.add(prefix, np.char.zfill(ids.astype(str), width)).astype(object)

    with path.open("wb") as out:
        out.write((";".join(extract.columns) + "\n").encode())
        for df, rng in chunks:
            _write_chunk(con, out, part, extract, line, df, rng, result, fresh_keys, too_new)
    if part.exists():
        os.remove(part)
    return result


def _write_chunk(
    con: duckdb.DuckDBPyConnection,
    out,
    part: Path,
    extract: FileLayout,
    line: str,
    df: pd.DataFrame,
    rng: np.random.Generator,
    result: WriteResult,
    fresh_keys: Callable[[int], np.ndarray],
    too_new: np.ndarray,
) -> None:
    n = len(df)
    if n == 0:
        return
    # Exact duplicates of good rows, at random places.
    n_dup = max(1, round(DUP_RATE * n))
    idx = np.insert(np.arange(n), rng.integers(0, n + 1, n_dup), rng.integers(0, n, n_dup))
    main = df.iloc[idx].reset_index(drop=True)
    main["ord"] = np.arange(len(main), dtype=np.float64)
    # Bad lines: spoiled copies of good rows.
    n_bad = min(n, max(2 * len(KINDS[extract.name]), round(BAD_RATE * n)))
    src = df.iloc[np.sort(rng.choice(n, size=n_bad, replace=False))]
    con.register("bad_src", src)
    fields = np.array(
        con.execute(f"SELECT {', '.join(extract.fields)} FROM bad_src").fetchall(), dtype=object
    )
    con.unregister("bad_src")
    bad = spoil(extract.name, extract.columns, fields, rng, fresh_keys, too_new)
    after = np.sort(rng.integers(0, len(main), len(bad)))
    rank = np.arange(len(bad))
    bad_ord = after + (rank + 1) / (len(bad) + 1)
    extras = pd.DataFrame({"ord": bad_ord, "line": pd.array(bad, dtype=object)})
    con.register("main_rows", main)
    con.register("bad_rows", extras)
    con.execute(
        f"COPY (SELECT line FROM (SELECT ord, {line} AS line FROM main_rows "
        "UNION ALL SELECT ord, line FROM bad_rows) ORDER BY ord) "
        f"TO '{part}' (FORMAT csv, HEADER false, DELIMITER '\t', QUOTE '')"
    )
    con.unregister("main_rows")
    con.unregister("bad_rows")
    with part.open("rb") as f:
        shutil.copyfileobj(f, out, 16 << 20)
    first_line = 2 + result.rows  # line 1 is the header
    # a bad line placed after main row j is preceded by j+1 main rows and by its rank
    result.bad_lines.extend((first_line + after + 1 + rank).tolist())
    result.rows += len(main) + len(bad)
    result.duplicates += n_dup
