-- Macros used by the validation SQL (created as temporary macros per connection).

-- Split one CSV record (';' delimiter, '"' quote, '""' an escaped quote) into fields.
create or replace temp macro csv_split(line) as
    case
        when contains(line, '"') then list_transform(
            regexp_extract_all(line || ';', '("(?:[^"]|"")*"|[^;"]*);', 1),
            lambda f: case when starts_with(f, '"') then replace(f[2:-2], '""', '"') else f end
        )
        else string_split(line, ';')
    end;

-- False when a quoted record does not split cleanly (a stray or unbalanced quote).
-- A CASE, not an OR: only the (rare) lines with a quote pay for the regex.
create or replace temp macro csv_quoting_ok(line) as
    case
        when contains(line, '"') then list_sum(list_transform(
            regexp_extract_all(line || ';', '("(?:[^"]|"")*"|[^;"]*);', 0), lambda m: length(m)
        )) = length(line) + 1
        else true
    end;

-- INSZ (rijksregisternummer or bis number): 11 digits, CC = 97 - (YYMMDDSSS mod 97),
-- or for births from 2000 on 97 - (2YYMMDDSSS mod 97). Digits checked first, then the
-- number cast once (DuckDB evaluates the repeated try_cast once) and split by arithmetic.
create or replace temp macro insz_valid(s) as coalesce(
    regexp_full_match(s, '[0-9]{11}')
    and (
        97 - (try_cast(s as bigint) // 100) % 97 = try_cast(s as bigint) % 100
        or 97 - (2000000000 + try_cast(s as bigint) // 100) % 97 = try_cast(s as bigint) % 100
    ),
    false
);

-- KBO enterprise number: 10 digits, first 0 or 1, CC = 97 - (NNNNNNNN mod 97).
create or replace temp macro kbo_valid(s) as coalesce(
    regexp_full_match(s, '[01][0-9]{9}')
    and 97 - (try_cast(s as bigint) // 100) % 97 = try_cast(s as bigint) % 100,
    false
);

-- A date written exactly as YYYY-MM-DD that exists in the calendar, else null.
create or replace temp macro parse_date(s) as
    case when regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}') then try_cast(s as date) end;

-- Mask anything that could be (part of) an INSZ in free text: 9 or more digits,
-- short runs of separators (not ';' or letters) allowed between them. A text of fewer
-- than 9 bytes cannot hold 9 digits: it skips the regex (most values are that short).
create or replace temp macro mask_numbers(s) as
    case
        when strlen(s) < 9 then s
        else regexp_replace(s, '[0-9](?:[^0-9A-Za-z;]{0,3}[0-9]){8,}', '<masked>', 'g')
    end;

-- A line that is not blank: trim(line) != '' (null for a null line), without copying
-- each line. trim strips the space separators (Unicode Zs), of which only ' ' is ASCII,
-- so a line starting with '!' .. U+007F is never blank: trim runs only on the lines
-- starting with a space, a control or a non-ASCII character. (In a WHERE, DuckDB
-- evaluates the second term of an OR only on the rows the first did not select.)
create or replace temp macro not_blank(line) as
    (line >= '!' and line < chr(128)) or trim(line) != '';

-- A control character: Unicode category Cc (U+0000-U+001F, U+007F-U+009F) except TAB.
-- TAB is ordinary white space in text and splits nothing here, so a line may hold it
-- (a tab inside a code or a date still fails that column's rule). LF ends a line and
-- CR LF too, so a CR in a line is one that does not end it. Every other one is not
-- text (0x01, NUL, the DOS end-of-file 0x1A; U+0080-U+009F come from text converted
-- from cp1252 twice): the line is quarantined whole, with the rule
-- "control character in the line" (validation.RULE_CONTROL).
create or replace temp macro has_control(line) as
    regexp_matches(line, '[\x00-\x08\x0A-\x1F\x7F-\x9F]');

-- The (masked) text of a quarantined line with each control character shown as U+FFFD.
-- Mask first: a control character between digits is a separator to mask_numbers.
create or replace temp macro show_controls(s) as
    regexp_replace(s, '[\x00-\x08\x0A-\x1F\x7F-\x9F]', '�', 'g');

-- The form of a NACE-BEL code (dd.ddd or ddddd); whether its division exists is a
-- rule of the models (int_nace_codes_normalised), not of the ingestion.
create or replace temp macro nace_form_ok(s) as regexp_full_match(s, '[0-9]{2}\.?[0-9]{3}');
