"""docs/contract.md against the code (issue 12, point 10).

The document mirrors the fixed data contract; these tests parse its tables and lists
and compare them with the code's single sources: the extracts of
``dagster_project/ingestion/extracts.py``, the seeds, the enforced contracts of the
published dbt models and the settings. Nothing here runs the pipeline. When a test
fails, either the code drifted from the contract (fix the code) or the document was
edited (the contract changes only through an issue).
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from dagster_project import settings
from dagster_project.ingestion import landing, validation
from dagster_project.ingestion.extracts import EXTRACTS, Kind
from dagster_project.publication import published_tables

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "contract.md"
UNKNOWN = "?"

# Not a dbt model: the publication row is written by dagster_project/publication/publish.py.
NOT_DBT_MODELS = {"publication"}


# --- reading the document ---------------------------------------------------------------


def _doc_lines() -> list[str]:
    return DOC.read_text(encoding="utf-8").splitlines()


def _section(heading: str) -> list[str]:
    """The lines under the first heading that starts with ``heading`` ("## A.", "### wop_"),
    up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = _doc_lines()
    start = next((i for i, line in enumerate(lines) if line.startswith(heading)), None)
    assert start is not None, f"docs/contract.md has no heading starting with {heading!r}"
    body = []
    for line in lines[start + 1 :]:
        hashes = len(line) - len(line.lstrip("#"))
        if hashes and line[hashes : hashes + 1] == " " and hashes <= level:
            break
        body.append(line)
    return body


def _unquoted(line: str) -> str:
    """A line without its blockquote marker (the project's notes are blockquotes)."""
    return re.sub(r"^>\s?", "", line)


def _prose(lines: list[str]) -> str:
    """The lines as one whitespace-normalised text, blockquote markers removed."""
    return " ".join(" ".join(_unquoted(line).split()) for line in lines if _unquoted(line).strip())


def _tables(lines: list[str]) -> list[list[dict[str, str]]]:
    """Every Markdown table in the lines (also inside a blockquote), as rows keyed by header."""
    tables, block = [], []
    for line in [*lines, ""]:
        text = _unquoted(line).strip()
        if text.startswith("|"):
            block.append([cell.strip() for cell in text.strip("|").split("|")])
            continue
        if block:
            header, separator, *rows = block
            assert all(set(cell) <= set("-: ") for cell in separator), f"not a table: {block[:2]}"
            assert all(len(row) == len(header) for row in rows), f"ragged table under {header}"
            tables.append([dict(zip(header, row, strict=True)) for row in rows])
            block = []
    return tables


def _table(lines: list[str], *header: str) -> list[dict[str, str]]:
    found = [t for t in _tables(lines) if t and list(t[0]) == list(header)]
    assert len(found) == 1, f"expected one table with columns {header}, found {len(found)}"
    return found[0]


def _backticked(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def _extract_sections() -> dict[str, list[str]]:
    """Extract name -> the lines of its section, in the order of part A."""
    part_a = _section("## A.")
    names = [m[1] for line in part_a if (m := re.match(r"### ([a-z]+)_YYYYMMDD\.csv\b", line))]
    return {name: _section(f"### {name}_YYYYMMDD.csv") for name in names}


def _extract_table(name: str) -> list[dict[str, str]]:
    sections = _extract_sections()
    assert name in sections, f"docs/contract.md has no section ### {name}_YYYYMMDD.csv"
    return _table(sections[name], "column", "type", "rule")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- part A: extracts -------------------------------------------------------------------


def test_the_extracts_are_the_code_extracts_in_order():
    assert list(_extract_sections()) == list(EXTRACTS)


@pytest.mark.parametrize("name", list(EXTRACTS))
def test_the_extract_file_name_is_read_by_the_landing_survey(name):
    """The section heading's file name, with a date filled in, is an extract file to the code."""
    heading = next(line for line in _section("## A.") if line.startswith(f"### {name}_"))
    file_name = re.match(r"### (\S+)", heading)[1].replace("YYYYMMDD", "20250630")
    parsed = landing.parse_file_name(Path(file_name))
    assert parsed is not None, f"{file_name} is not an extract file name to landing.py"
    assert (parsed.extract, parsed.extraction_date) == (name, dt.date(2025, 6, 30))


@pytest.mark.parametrize("name", list(EXTRACTS))
def test_extract_columns_and_their_order(name):
    assert [row["column"] for row in _extract_table(name)] == [c.name for c in EXTRACTS[name].columns]


def _required_in_doc(rule: str) -> bool:
    """Part A: "every column is required unless marked optional or nullable". A rule marks
    a column optional, nullable ("null while ...", "null if none"), required only under a
    condition ("required when LAND is BE") or kept when empty (NACE)."""
    rule = rule.lower()
    return not (
        "optional" in rule or re.search(r"\bnull\b", rule) or "required when" in rule or "empty" in rule
    )


@pytest.mark.parametrize("name", list(EXTRACTS))
def test_required_columns(name):
    doc = {row["column"]: _required_in_doc(row["rule"]) for row in _extract_table(name)}
    code = {c.name: c.required for c in EXTRACTS[name].columns}
    assert doc == code


def _code_list(type_cell: str) -> tuple[str, ...]:
    """The codes of a type cell that is a list of codes ("`CM`, `IM` or `LDE`"), else ()."""
    if re.fullmatch(r"`[A-Z_]+`(, `[A-Z_]+`)* or `[A-Z_]+`", type_cell):
        return tuple(_backticked(type_cell))
    return ()


def _kind_in_doc(type_cell: str) -> Kind | None:
    if _code_list(type_cell):
        return Kind.CODE
    exact = {"text": Kind.TEXT, "11 digits": Kind.INSZ, "10 digits": Kind.KBO, "date": Kind.DATE}
    if type_cell in exact:
        return exact[type_cell]
    if type_cell.startswith("NACE-BEL code, `dd.ddd` or `ddddd`"):
        return Kind.NACE
    if type_cell == "4 digits when LAND is BE":
        return Kind.POSTCODE
    if type_cell == "ISO 3166-1 alpha-2":
        return Kind.TEXT  # reading: LAND is only required, not checked against the ISO list
    return None


@pytest.mark.parametrize("name", list(EXTRACTS))
def test_column_types_and_code_lists(name):
    doc = {
        row["column"]: (_kind_in_doc(row["type"]), _code_list(row["type"])) for row in _extract_table(name)
    }
    code = {c.name: (c.kind, c.codes) for c in EXTRACTS[name].columns}
    assert doc == code


@pytest.mark.parametrize("name", list(EXTRACTS))
def test_unique_key(name):
    keys = [row["column"] for row in _extract_table(name) if "unique key" in row["rule"]]
    assert keys == ([EXTRACTS[name].key] if EXTRACTS[name].key else [])


@pytest.mark.parametrize("name", list(EXTRACTS))
def test_end_dates_and_their_start(name):
    """The end dates and their start: a rule's "not before X" and a note's "`END` before
    `START` is an end before its start" are the code's end_of pairs."""
    doc = {
        (row["column"], m[1])
        for row in _extract_table(name)
        if (m := re.search(r"not before ([A-Z_]+)", row["rule"]))
    }
    doc |= set(
        re.findall(
            r"`([A-Z_]+)` before `([A-Z_]+)` is an end before its start", _prose(_extract_sections()[name])
        )
    )
    code = {(c.name, c.end_of) for c in EXTRACTS[name].columns if c.end_of}
    assert doc == code


def _bad_input() -> str:
    return _prose(_section("### Bad input"))


def test_the_unknown_code_columns_are_the_code_columns():
    listed = re.search(r"an unknown code \(([A-Z_, ]+)\)", _bad_input())
    assert listed, "Bad input no longer lists the coded columns"
    code = [c.name for e in EXTRACTS.values() for c in e.columns if c.kind is Kind.CODE]
    assert [name.strip() for name in listed[1].split(",")] == code


def test_the_date_bounds():
    bounds = re.search(
        r"outside (\d{4}-\d{2}-\d{2}) \.\. the file's extraction date plus (\w+) year", _bad_input()
    )
    assert bounds, "Bad input no longer states the date bounds"
    assert _date(bounds[1]) == validation.MIN_DATE
    assert bounds[2] == "one"
    extraction_date = dt.date(2023, 6, 30)
    assert validation.max_date(extraction_date) == extraction_date.replace(year=extraction_date.year + 1)
    leap = re.search(r"(\d+) February → (\d+) February", _bad_input())
    assert leap, "the reading of the upper bound on 29 February is gone"
    assert validation.max_date(dt.date(2024, 2, int(leap[1]))) == dt.date(2025, 2, int(leap[2]))


def test_the_future_tolerance_of_a_delivery():
    tolerance = re.search(r"tolerance of (\d+) days?", _prose(_section("## A.")))
    assert tolerance, "part A no longer states the tolerance for future extraction dates"
    assert int(tolerance[1]) == landing.FUTURE_TOLERANCE_DAYS


# --- part B and C: provinces ------------------------------------------------------------


def _province_values() -> list[str]:
    listed = re.search(r"Province values are exactly:(.*?)\. Each table", _prose(_section("## C.")))
    assert listed, "part C no longer lists the province values"
    return _backticked(listed[1])


def test_province_values_are_the_seed():
    doc = _province_values()
    seed = [row["province"] for row in _read_csv(ROOT / "seeds" / "provinces.csv")]
    assert len(doc) == len(set(doc))
    assert set(doc) == set(seed)
    assert len(seed) == len(set(seed))


def _doc_postal_mapping():
    """The mapping of part B's province rule as a function of (postal code, date)."""
    rule = next(item for item in _prose(_section("## B.")).split(" - ") if "Province of a WOP" in item)
    ranges_text = re.search(r"Mapping by postal code:(.*?)every other Belgian code", rule)[1]
    ranges = []
    for part in ranges_text.split(";"):
        (province,) = _backticked(part) or [None]
        bounds = re.findall(r"(\d{4})\s*[\u2013-]\s*(\d{4})", part)
        if province is None and not bounds:
            continue
        assert province and bounds, f"cannot read the mapping part {part!r}"
        ranges += [(int(lo), int(hi), province) for lo, hi in bounds]
    other = re.search(r"every other Belgian code[^`]*`([^`]+)`", rule)[1]
    exception = re.search(r"on dates from (\d{4}-\d{2}-\d{2}) on, postal code (\d{4})[^`]*`([^`]+)`", rule)
    since, exception_code, exception_province = _date(exception[1]), int(exception[2]), exception[3]

    def province(code: int, day: dt.date) -> str:
        if code == exception_code and day >= since:
            return exception_province
        found = [p for lo, hi, p in ranges if lo <= code <= hi]
        assert len(found) <= 1, f"part B maps {code} twice"
        return found[0] if found else other

    provinces = {p for _, _, p in ranges} | {other, exception_province}
    return province, provinces, since


def test_postal_code_mapping_is_the_seed():
    doc_province, doc_provinces, since = _doc_postal_mapping()
    assert doc_provinces <= set(_province_values())
    seed = [
        (
            int(r["postal_code_from"]),
            int(r["postal_code_to"]),
            _date(r["valid_from"]),
            _date(r["valid_to"]),
            r["province"],
        )
        for r in _read_csv(ROOT / "seeds" / "postal_code_provinces.csv")
    ]
    days = {since, since - dt.timedelta(days=1)}
    for _, _, valid_from, valid_to, _ in seed:
        days |= {valid_from, valid_to, valid_from - dt.timedelta(days=1)}
    mismatches = []
    for day in sorted(days):
        for code in range(10_000):
            found = [p for lo, hi, start, end, p in seed if lo <= code <= hi and start <= day <= end]
            if day >= dt.date(1900, 1, 1):
                assert len(found) == 1, f"seed maps {code:04d} on {day} {len(found)} times"
            if found and found[0] != doc_province(code, day):
                mismatches.append((f"{code:04d}", str(day), found[0], doc_province(code, day)))
    assert mismatches == [], f"(code, date, seed, contract): {mismatches[:10]}"


# --- appendix E: NACE-BEL sections ------------------------------------------------------


def _divisions(cell: str) -> list[str]:
    bounds = re.fullmatch(r"(\d{2})(?:\s*[\u2013-]\s*(\d{2}))?", cell)
    assert bounds, f"not a division or a range of divisions: {cell!r}"
    low, high = int(bounds[1]), int(bounds[2] or bounds[1])
    return [f"{d:02d}" for d in range(low, high + 1)]


def _appendix_e() -> list[dict[str, str]]:
    return _table(_section("## E."), "divisions", "NACE-BEL 2008 section", "NACE-BEL 2025 section")


def test_nace_bel_2008_sections_by_division_are_the_seed():
    doc = {}
    for row in _appendix_e():
        for division in _divisions(row["divisions"]):
            assert division not in doc, f"appendix E lists division {division} twice"
            doc[division] = row["NACE-BEL 2008 section"]
    seed = {r["nace_division"]: r["nace_section"] for r in _read_csv(ROOT / "seeds" / "nace_divisions.csv")}
    assert doc == seed


def test_appendix_e_is_the_conversion_seed_and_the_2025_divisions():
    """Every row of appendix E, division by division: the conversion seed holds both letters
    (division 45 converts to G); the 2025 divisions are all but 45, with their 2025 letter."""
    doc_2008, doc_2025 = {}, {}
    for row in _appendix_e():
        for division in _divisions(row["divisions"]):
            doc_2008[division] = row["NACE-BEL 2008 section"]
            letter = row["NACE-BEL 2025 section"]
            if re.fullmatch(r"[A-Z]", letter):
                doc_2025[division] = letter
            else:
                assert division == "45" and "not a 2025 division" in letter
    conversion = {
        r["nace_division"]: (r["nace_section"], r["nace_section_2025"])
        for r in _read_csv(ROOT / "seeds" / "nace_division_conversion.csv")
    }
    assert conversion == {d: (doc_2008[d], doc_2025.get(d, "G")) for d in doc_2008}  # 45: G
    divisions_2025 = {
        r["nace_division"]: r["nace_section_2025"]
        for r in _read_csv(ROOT / "seeds" / "nace_divisions_2025.csv")
    }
    assert divisions_2025 == doc_2025
    assert "45" not in divisions_2025


def test_nace_bel_2025_section_letters_are_the_published_sections():
    letters = {row["NACE-BEL 2025 section"] for row in _appendix_e()}
    doc = {letter for letter in letters if re.fullmatch(r"[A-Z]", letter)} | {UNKNOWN}
    seed = [r["nace_section_2025"] for r in _read_csv(ROOT / "seeds" / "nace_sections_2025.csv")]
    assert len(seed) == len(set(seed))
    assert set(seed) == doc
    assert seed[-1] == UNKNOWN and doc - {UNKNOWN} == set("ABCDEFGHIJKLMNOPQRSTUV")


def test_nace_bel_2008_section_letters_are_the_published_sections():
    doc = {row["NACE-BEL 2008 section"] for row in _appendix_e()} | {UNKNOWN}
    seed = [r["nace_section"] for r in _read_csv(ROOT / "seeds" / "nace_sections.csv")]
    assert len(seed) == len(set(seed))
    assert set(seed) == doc


# --- part C: published tables -----------------------------------------------------------


def _published_tables() -> dict[str, list[tuple[str, str | None]]]:
    """Table -> its columns (name, SQL type or None) as part C lists them."""
    tables = {}
    for row in _table(_section("## C."), "table", "columns"):
        (name,) = _backticked(row["table"])
        cell = row["columns"]
        if cell.startswith("one row"):  # "one row per cohort WOP: wop_id, ..."
            cell = cell.split(":", 1)[1]
        cell = re.sub(r"\([^)]*\)", "", cell)  # "(pseudonym)", "(A-V or `?`)"
        columns = []
        for item in cell.split(","):
            words = item.split()
            columns.append((words[0], words[1] if len(words) > 1 and words[1].isupper() else None))
        tables[name] = columns
    return tables


def _mart_models() -> dict[str, dict]:
    models = {}
    for path in sorted((ROOT / "dbt_models" / "marts").glob("_*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            models[model["name"]] = model
    return models


def _built_tables() -> list[str]:
    return [t for t in _published_tables() if t not in NOT_DBT_MODELS]


def test_part_c_lists_the_tables_this_test_knows():
    tables = set(_published_tables())
    assert {"transitions_by_province", "wop_transitions"} <= tables  # the parse found the table
    assert tables >= NOT_DBT_MODELS


@pytest.mark.parametrize(
    "table",
    [
        "transitions_by_province",
        "transitions_by_sector",
        "returns_by_province",
        "transitions_by_sector_2025",
        "wop_transitions",
    ],
)
def test_published_table_is_an_enforced_dbt_contract(table):
    assert table in _built_tables()
    models = _mart_models()
    assert table in models, f"no dbt model {table} in dbt_models/marts/_*.yml"
    model = models[table]
    assert model.get("config", {}).get("contract", {}).get("enforced") is True
    doc = _published_tables()[table]
    code = [(c["name"], c.get("data_type")) for c in model["columns"]]
    assert [name for name, _ in doc] == [name for name, _ in code]
    for (name, doc_type), (_, code_type) in zip(doc, code, strict=True):
        if doc_type is not None:  # wop_transitions: part C names its columns without types
            assert (name, doc_type.lower()) == (name, (code_type or "").lower())


def test_every_built_table_is_tested_and_published():
    assert set(_built_tables()) == {
        "transitions_by_province",
        "transitions_by_sector",
        "returns_by_province",
        "transitions_by_sector_2025",
        "wop_transitions",
    }
    manifest = json.loads((settings.Settings.from_env().dbt_target_path / "manifest.json").read_text())
    published = {t.name for t in published_tables(manifest)}
    assert set(_built_tables()) <= published


# --- part D: running it -----------------------------------------------------------------


def _settings_strings() -> set[str]:
    tree = ast.parse((ROOT / "dagster_project" / "settings.py").read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_environment_variables_are_read_in_settings():
    contract = _prose([line for line in _section("## D.") if not line.startswith(">")])
    named = set(re.findall(r"`(DOORSTROOM_[A-Z_]+)`", _prose(_section("## D."))))
    assert len(set(re.findall(r"`(DOORSTROOM_[A-Z_]+)`", contract))) == 4
    assert named - _settings_strings() == set()


# The setting each documented default belongs to.
SETTING_OF = {
    "DOORSTROOM_LANDING_DIR": "landing_dir",
    "DOORSTROOM_WAREHOUSE": "warehouse",
    "DOORSTROOM_PUBLISHED": "published",
    "DOORSTROOM_MEMORY_LIMIT": "memory_limit",
    "DOORSTROOM_TEMP_DIR": "temp_dir",
}


def test_demo_defaults_are_the_settings_defaults():
    defaults = settings.Settings.from_env({})
    rows = _table(_section("## D."), "variable", "demo default")
    assert rows
    for row in rows:
        (variable,), (default,) = _backticked(row["variable"]), _backticked(row["demo default"])
        assert variable in SETTING_OF, f"{variable}: which setting is it?"
        value = getattr(defaults, SETTING_OF[variable])
        if isinstance(value, Path):
            assert value == (settings.PROJECT_ROOT / default).resolve(), variable
        else:
            assert value == default, variable


def test_key_length():
    length = re.search(r"at least (\d+) characters", _prose(_section("## D.")))
    assert length, "part D no longer states the key's minimum length"
    assert int(length[1]) == settings.MIN_KEY_LENGTH


def test_make_targets_exist():
    targets = set(re.findall(r"^([a-z][a-z_-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    named = set(re.findall(r"`make ([a-z][a-z_-]*)`", _prose(_section("## D."))))
    assert {"pipeline", "demo", "test"} <= named
    assert named <= targets
