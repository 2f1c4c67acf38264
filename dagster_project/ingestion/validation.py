"""Set-based validation SQL for one extract file, generated from its part A spec.

Input: the temporary table ``_lines(line_number, line)`` of the file's data records
and the header positions of the contract columns. Output: the temporary table
``_checked`` with one row per record: its typed values, its violations
(column + rule, in column order) and whether it is an exact duplicate of an earlier record.
"""

from __future__ import annotations

import datetime as dt

from .extracts import Column, Extract, Kind

MIN_DATE = dt.date(1950, 1, 1)

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


def _violation(condition: str, column: str, rule: str) -> str:
    return f"case when {condition} then {{'column': {_lit(column)}, 'rule': {_lit(rule)}}} end"


def _column_checks(col: Column, latest: dt.date) -> list[str]:
    v = _ident(col.name)
    checks: list[str] = []
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


def checked_sql(
    extract: Extract, header_width: int, positions: dict[str, int], extraction_date: dt.date
) -> str:
    """SQL creating ``_checked`` from ``_lines``.

    ``header_width`` is the number of header fields (extra columns included) and
    ``positions`` maps each contract column to its 1-based field position.
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
    if extract.key:
        key = _ident(extract.key)
        # Judged among distinct well-formed records: every one sharing the key is quarantined.
        conflict_flag = (
            f"not is_duplicate and well_formed and {key} is not null "
            f"and count(*) over (partition by not is_duplicate and well_formed, {key}) > 1"
        )
        checks.append(_violation("key_conflict", extract.key, RULE_KEY_CONFLICT))
    else:
        conflict_flag = "false"
    checks_sql = ",\n            ".join(checks)
    all_values = ", ".join(_ident(c.name) for c in extract.columns)
    field_rule = RULE_FIELDS.format(expected=header_width)
    return f"""
create or replace temp table _checked as
with split as (
    select
        line_number,
        line,
        csv_split(line) as fields,
        csv_quoting_ok(line) as quoting_ok,
    from _lines
),

typed as (
    select
        line_number,
        line,
        quoting_ok,
        len(fields) as field_count,
        quoting_ok and len(fields) = {header_width} as well_formed,
        {values}{dates},
    from split
),

ranked as (
    select
        *,
        -- Exact duplicates: every record after the first with the same values
        -- (a malformed line: the same text). No ordering inside the partition.
        line_number > min(line_number) over (
            partition by well_formed, {all_values}, case when not well_formed then line end
        ) as is_duplicate,
    from typed
),

flagged as (
    select
        *,
        {conflict_flag} as key_conflict,
    from ranked
)

select
    * exclude (line),
    case when not well_formed then mask_numbers(line) end as masked_line,
    case
        when not quoting_ok then [{{'column': '*', 'rule': {_lit(RULE_QUOTING)}}}]
        when field_count != {header_width} then
            [{{'column': '*', 'rule': {_lit(field_rule)} || ', got ' || field_count}}]
        else list_filter([
            {checks_sql}
        ], lambda x: x is not null)
    end as violations,
from flagged
"""
