"""Set-based validation SQL for one extract file, generated from its part A spec.

Input: the temporary table ``_file_lines(line)`` of the file's physical lines that
DuckDB's reader returned (line number = rowid + 1, shifted past the lines it skipped),
the table ``_line_problems(line_number, rule, line)`` of those it skipped (loader.py,
``_read_lines``) and the header positions of the contract columns. Output, in three
set-based statements:

- ``_checked``: one row per non-blank data line with its typed values and its
  violations of the column rules (column + rule, in column order; null when none);
- ``_duplicates``: the line numbers of exact duplicates of an earlier record;
- ``_conflicts``: the line numbers of distinct records sharing the unique key.
"""

from __future__ import annotations

import datetime as dt

from .extracts import Column, Extract, Kind

MIN_DATE = dt.date(1950, 1, 1)

# The longest line read, in bytes without its line break (DuckDB's default limit). A
# record of the contract is a few hundred bytes; a longer line is quarantined whole.
MAX_LINE_BYTES = 2_000_000

RULE_FIELDS = "wrong number of fields: expected {expected}"
RULE_QUOTING = "malformed quoting"
RULE_MISSING = "required value missing"
RULE_DATE_PARSE = "date does not parse as YYYY-MM-DD"
RULE_DATE_RANGE = "date outside 1950-01-01 .. {max_date}"
RULE_END_BEFORE_START = "end before start ({start})"
RULE_INSZ = "invalid INSZ (11 digits with check digits)"
RULE_KBO = "invalid KBO number (10 digits, first 0 or 1, check digits)"
RULE_CODE = "unknown code (allowed: {codes})"
RULE_POSTCODE = "Belgian POSTCODE not 4 digits"
RULE_POSTCODE_MISSING = "required value missing (POSTCODE is required when LAND is BE)"
RULE_KEY_CONFLICT = "conflicting duplicate key"
# Rules of a whole line (column '*'), checked before it is split into fields.
RULE_CONTROL = "control character in the line"  # the characters: has_control, sql_functions.sql
RULE_LINE_TOO_LONG = f"line longer than {MAX_LINE_BYTES} bytes"
# The quarantine keeps no text of a line that long (DuckDB's reader does not return it).
LONG_LINE_NOT_KEPT = f"<not kept: line longer than {MAX_LINE_BYTES} bytes>"

# The error type in DuckDB's rejects table of a line its CSV reader skips for its size.
READER_LINE_TOO_LONG = "LINE SIZE OVER MAXIMUM"


def max_date(extraction_date: dt.date) -> dt.date:
    """The file's extraction date plus one year (29 Feb maps to 28 Feb)."""
    try:
        return extraction_date.replace(year=extraction_date.year + 1)
    except ValueError:
        return extraction_date.replace(year=extraction_date.year + 1, day=28)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name + '"'


Check = tuple[str, str, str]  # condition (true: violated), column, rule


def _violation(condition: str, column: str, rule: str) -> Check:
    return condition, column, rule


def _column_checks(col: Column, latest: dt.date) -> list[Check]:
    v = _ident(col.name)
    checks: list[Check] = []
    if col.required:
        checks.append(_violation(f"{v} is null", col.name, RULE_MISSING))
    if col.kind is Kind.INSZ:
        checks.append(_violation(f"{v} is not null and not insz_valid({v})", col.name, RULE_INSZ))
    elif col.kind is Kind.KBO:
        checks.append(_violation(f"{v} is not null and not kbo_valid({v})", col.name, RULE_KBO))
    elif col.kind is Kind.CODE:
        allowed = ", ".join(_lit(c) for c in col.codes)
        rule = RULE_CODE.format(codes=", ".join(col.codes))
        checks.append(_violation(f"{v} is not null and {v} not in ({allowed})", col.name, rule))
    elif col.kind is Kind.POSTCODE:
        land = _ident("LAND")
        checks.append(_violation(f"{land} = 'BE' and {v} is null", col.name, RULE_POSTCODE_MISSING))
        checks.append(
            _violation(
                f"{land} = 'BE' and {v} is not null and not regexp_full_match({v}, '[0-9]{{4}}')",
                col.name,
                RULE_POSTCODE,
            )
        )
    elif col.kind is Kind.DATE:
        d = _ident(col.name + "__date")
        checks.append(_violation(f"{v} is not null and {d} is null", col.name, RULE_DATE_PARSE))
        rule = RULE_DATE_RANGE.format(max_date=latest.isoformat())
        checks.append(
            _violation(
                f"{d} not between date '{MIN_DATE.isoformat()}' and date '{latest.isoformat()}'",
                col.name,
                rule,
            )
        )
        if col.end_of:
            start = _ident(col.end_of + "__date")
            checks.append(
                _violation(f"{d} < {start}", col.name, RULE_END_BEFORE_START.format(start=col.end_of))
            )
    return checks


def line_shifts_sql() -> str:
    """SQL creating ``_line_shifts(first_rowid, shift)``: the rows of ``_file_lines`` from
    ``first_rowid`` on come after ``shift`` lines the reader skipped (``_line_problems``).

    The j-th skipped line (in file order) L_j has L_j - j readable lines before it, so a
    row with rowid r has line number r + 1 + (the largest j with L_j - j <= r).
    """
    return """
create or replace temp table _line_shifts as
select line_number - j as first_rowid, max(j) as shift
from (select line_number, row_number() over (order by line_number) as j from _line_problems)
group by all
"""


def checked_sql(
    extract: Extract,
    header_width: int,
    positions: dict[str, int],
    extraction_date: dt.date,
    renumbered: bool = False,
    controls: bool = True,
) -> str:
    """SQL creating ``_checked`` from ``_file_lines`` and ``_line_problems`` in one pass.

    ``header_width`` is the number of header fields (extra columns included) and
    ``positions`` maps each contract column to its 1-based field position. Each
    non-blank data line gets its typed values and its violations of the column rules
    (in column order; null when there is none). A line with a problem of its own (a
    control character, over the size limit) is not split: it gets that one violation.
    ``renumbered``: the reader skipped lines (``_line_shifts`` holds the shifts); without,
    line number = rowid + 1 and the join is left out (the common case, tens of millions
    of lines). ``controls``: the file holds a control character somewhere (known from its
    bytes); without, no line is searched for one.
    """
    values = ",\n        ".join(
        f"nullif(trim(fields[{positions[c.name]}]), '') as {_ident(c.name)}" for c in extract.columns
    )
    dates = "".join(
        f",\n        parse_date({_ident(c.name)}) as {_ident(c.name + '__date')}"
        for c in extract.columns
        if c.kind is Kind.DATE
    )
    latest = max_date(extraction_date)
    checks = [check for col in extract.columns for check in _column_checks(col, latest)]
    # Each rule is evaluated once, as a flag; the list of violations is built only
    # for the (few) records that break a rule.
    flags = "".join(
        f",\n        coalesce({condition}, false) as _failed_{i}"
        for i, (condition, _, _) in enumerate(checks)
    )
    any_failed = " or ".join(f"_failed_{i}" for i in range(len(checks)))
    violations = ",\n                ".join(
        f"case when _failed_{i} then {{'column': {_lit(column)}, 'rule': {_lit(rule)}}} end"
        for i, (_, column, rule) in enumerate(checks)
    )
    field_rule = RULE_FIELDS.format(expected=header_width)
    if renumbered:
        numbered = """
    select l.rowid + 1 + coalesce(s.shift, 0) as line_number, l.line
    from (select rowid, line from _file_lines) as l
    asof left join _line_shifts as s on l.rowid >= s.first_rowid"""
    else:
        numbered = """
    select rowid + 1 as line_number, line
    from _file_lines"""
    too_long = _lit(RULE_LINE_TOO_LONG)
    control = f"\n            when has_control(line) then {_lit(RULE_CONTROL)}" if controls else ""
    well_formed = f"line_rule is null and quoting_ok and len(fields) = {header_width}"
    return f"""
create or replace temp table _checked as
with numbered as ({numbered}
),

lines as (
    select
        line_number,
        line,
        case
            when strlen(line) > {MAX_LINE_BYTES} then {too_long}{control}
        end as line_rule,
    from numbered
    where line_number > 1 and not_blank(line)
    union all
    select line_number, line, rule from _line_problems where line_number > 1
),

split as (
    select
        line_number,
        line,
        line_rule,
        case when line_rule is null then csv_split(line) end as fields,
        case when line_rule is null then csv_quoting_ok(line) end as quoting_ok,
    from lines
),

typed as (
    select
        line_number,
        line_rule,
        quoting_ok,
        len(fields) as field_count,
        {well_formed} as well_formed,
        -- A malformed line is compared (for duplicates) and kept (masked) as text; a
        -- line over the size limit is neither.
        case when not ({well_formed}) and line_rule is distinct from {too_long} then line end as bad_line,
        {values}{dates},
    from split
),

tested as (
    select *{flags},
    from typed
)

select
    line_number,
    well_formed,
    bad_line,
    {_kept_values(extract)},
    case
        when line_rule = {too_long} then {_lit(LONG_LINE_NOT_KEPT)}
        else show_controls(mask_numbers(bad_line))
    end as masked_line,
    case
        when line_rule is not null then [{{'column': '*', 'rule': line_rule}}]
        when not quoting_ok then [{{'column': '*', 'rule': {_lit(RULE_QUOTING)}}}]
        when field_count != {header_width} then
            [{{'column': '*', 'rule': {_lit(field_rule)} || ', got ' || field_count}}]
        when {any_failed} then list_filter([
                {violations}
            ], lambda x: x is not null)
    end as violations,
from tested
"""


def _kept_values(extract: Extract) -> str:
    """The values ``_checked`` keeps. A date keeps its text only when it did not parse:
    the parsed date (strict YYYY-MM-DD) gives back the same text, in a third of the memory."""
    kept = []
    for c in extract.columns:
        if c.kind is Kind.DATE:
            date = _ident(c.name + "__date")
            kept += [f"case when {date} is null then {_ident(c.name)} end as {_ident(c.name)}", date]
        else:
            kept.append(_ident(c.name))
    return ",\n    ".join(kept)


def _identity(extract: Extract) -> str:
    """What makes two records equal: every value (a date as parsed, or its unparsable text)."""
    parts = []
    for c in extract.columns:
        parts.append(_ident(c.name))
        if c.kind is Kind.DATE:
            parts.append(_ident(c.name + "__date"))
    return ", ".join(parts)


def duplicates_sql(extract: Extract) -> str:
    """SQL creating ``_duplicates``: every record after the first with the same values.

    Only records whose value hash occurs more than once are compared value by value
    (a malformed line or a line with a control character: by its text), so the exact
    comparison runs on a few rows. The hash is computed twice (to group, then to pick
    the candidates) rather than stored in ``_checked``: a scan costs less than spilling
    a column of tens of millions of rows.
    """
    identity = f"well_formed, {_identity(extract)}, bad_line"
    # A line kept without its text (over the size limit) is never a duplicate: it is
    # the only record that is neither well formed nor has a bad_line.
    comparable = "(well_formed or bad_line is not null)"
    return f"""
create or replace temp table _duplicates as
with repeated_hashes as (
    select hash({identity}) as row_hash
    from _checked
    where {comparable}
    group by row_hash
    having count(*) > 1
),

candidates as (
    select *
    from _checked
    where {comparable} and hash({identity}) in (select row_hash from repeated_hashes)
),

ranked as (
    select
        line_number,
        line_number > min(line_number) over (partition by {identity}) as is_duplicate,
    from candidates
)

select line_number from ranked where is_duplicate
"""


def conflicts_sql(extract: Extract) -> str | None:
    """SQL creating ``_conflicts``: records sharing the unique key (None without a key).

    Judged among distinct well-formed records: every one sharing the key is quarantined.
    """
    if not extract.key:
        return None
    key = _ident(extract.key)
    return f"""
create or replace temp table _conflicts as
with distinct_records as (
    select line_number, {key}
    from _checked
    where well_formed and {key} is not null
      and line_number not in (select line_number from _duplicates)
)

select line_number
from distinct_records
qualify count(*) over (partition by {key}) > 1
"""


def key_conflict_violation(key: str) -> str:
    """The violation appended (last, after the column rules) to a record in ``_conflicts``."""
    return f"{{'column': {_lit(key)}, 'rule': {_lit(RULE_KEY_CONFLICT)}}}"
