"""Disclosure control (`dagster_project.answer.disclosure`): suppression patterns computed by
hand on small tables, the audit that refuses naive primary suppression, linked tables, and the
demo answer's 2019-2022 tables as one linked release (sizes and speed of the real report).

Notation in the comments: a 2-D table with rows A, B, C and columns x, y, z, its row totals in
column T and column totals in row T. The secondary pattern is the cheapest change of the table
that keeps every published total and moves the primary cell by k, costing the value of every
visible cell it touches: in a 2-D table a rectangle (the primary cell, a cell in its row, one in
its column, and the opposite corner).
"""

from __future__ import annotations

import random
import time

import pytest

from dagster_project.answer.disclosure import (
    TOTAL,
    Interval,
    Key,
    Relation,
    Release,
    Suppression,
    audit,
    combine,
    crosstab,
    hide_derived,
    link,
    primary_suppression,
    rule,
    same,
    small_counts,
    suppress,
)

from .official import PROVINCES

COLUMNS = ["x", "y", "z"]


def grid(table: str, rows: dict[str, list[int]], columns: list[str] = COLUMNS) -> Release:
    """A table with rows, columns, row totals, column totals and a grand total."""
    return crosstab(table, {(r, c): v for r, vs in rows.items() for c, v in zip(columns, vs, strict=True)})


def keys(table: str, *cells: str) -> frozenset[Key]:
    """``keys("t", "A.x", "B.y")``: the cells t[A, x] and t[B, y]."""
    return frozenset(Key(table, *cell.split(".")) for cell in cells)


def show(report: object) -> None:
    print(f"\n{report}")


# ---------------------------------------------------------------- the must-show: subtraction


# A.x = 3 is the only count under 5; the row total 25 is published.
SUBTRACTION = {"A": [3, 10, 12], "B": [8, 9, 20], "C": [15, 11, 14]}


def test_primary_suppression_alone_is_undone_by_subtraction() -> None:
    release = grid("t", SUBTRACTION)
    naive = primary_suppression(release)
    assert naive.hidden == keys("t", "A.x")
    report = audit(naive)
    show(report)
    # A.x = A.T - A.y - A.z = 25 - 10 - 12 = 3: the audit's interval is the point [3, 3].
    assert report.intervals[Key("t", "A", "x")] == Interval(3, 3)
    assert not report.passed
    assert report.unsafe == (Key("t", "A", "x"),)
    assert report.tables[0].smallest_width == 0


def test_secondary_suppression_prevents_it() -> None:
    release = grid("t", SUBTRACTION)
    pattern = suppress(release)
    # Rectangles through A.x (A.x up by 5; A.c and r.x down; r.c up), cost the three values:
    # (B, y) 10 + 8 + 9 = 27; (C, y) 10 + 15 + 11 = 36; (B, z) 12 + 8 + 20 = 40; (C, z) 41;
    # through the totals (A.T, T.x, T.T up) 25 + 26 + 102 = 153. Cheapest: (B, y).
    assert pattern.primary == keys("t", "A.x")
    assert pattern.secondary == keys("t", "A.y", "B.x", "B.y")
    report = audit(pattern)
    show(report)
    assert report.passed
    # One free parameter u: A.x = 3 + u, A.y = 10 - u, B.x = 8 - u, B.y = 9 + u, all >= 0:
    # u in [-3, 8], so every hidden cell ranges over 11.
    assert report.intervals[Key("t", "A", "x")] == Interval(0, 11)
    assert report.intervals[Key("t", "B", "y")] == Interval(6, 17)
    assert report.tables[0].smallest_width == 11
    assert (report.tables[0].primary, report.tables[0].secondary) == (1, 3)
    assert pattern.reason(Key("t", "A", "x")) == "primary"
    assert pattern.reason(Key("t", "B", "y")) == "secondary"
    assert pattern.reason(Key("t", "C", "z")) is None


def test_cells_the_caller_adds_or_keeps() -> None:
    release = grid("t", SUBTRACTION)
    # B.z (20) primary too, e.g. dominated by one employer: rectangle (B, z) now costs only
    # A.z + B.x = 12 + 8 = 20 < 27; A.x = 3 + u, A.z = 12 - u, B.x = 8 - u, B.z = 20 + u.
    extra = suppress(release, extra=[Key("t", "B", "z")])
    assert (extra.primary, extra.secondary) == (keys("t", "A.x", "B.z"), keys("t", "A.z", "B.x"))
    assert audit(extra).tables[0].smallest_width == 11
    # B.y must stay visible: the next rectangle, (C, y) at 36, is taken.
    kept = suppress(release, keep=[Key("t", "B", "y")])
    assert kept.secondary == keys("t", "A.y", "C.x", "C.y")
    assert audit(kept).passed
    # A lone count in no relation cannot be recomputed: hidden, nothing else needed.
    lone = suppress(Release({Key("n", "all", "n"): 3}))
    assert lone.hidden == keys("n", "all.n") and not lone.secondary
    assert audit(lone).intervals[Key("n", "all", "n")] == Interval(0, float("inf"))


# ---------------------------------------------------------------- zeros, k, totals


def test_zeros_stay_visible() -> None:
    #       x  y |  T
    #  A    0  3 |  3      A.y = 3 and A.T = 3 are primary; the zero A.x is not.
    #  B    7  9 | 16
    #  T    7 12 | 19
    release = grid("t", {"A": [0, 3], "B": [7, 9]}, ["x", "y"])
    assert small_counts(release) == keys("t", "A.y", f"A.{TOTAL}")
    pattern = suppress(release)
    # A.y up by 5 takes A.T up (hidden, free). Then either column y's total and the grand total
    # go up (12 + 19 = 31), or B.y goes down and B.T with it (9 + 16 = 25); the zero A.x cannot
    # go down, and B.y down with B.x up takes T.x and T.T up (9 + 7 + 7 + 19 = 42).
    assert pattern.secondary == keys("t", "B.y", f"B.{TOTAL}")
    assert Key("t", "A", "x") not in pattern
    report = audit(pattern)
    show(report)
    assert report.passed
    # A.y = A.T = u, B.y = 12 - u, B.T = 19 - u with u in [0, 12].
    assert report.tables[0].smallest_width == 12


# A.x = 2 and B.y = 4: both primary for k = 5, only A.x for k = 3.
K_TABLE = {"A": [2, 10, 12], "B": [8, 4, 20], "C": [5, 6, 14]}


def test_k_5() -> None:
    pattern = suppress(grid("t", K_TABLE), k=5)
    # A.x first. B.y is hidden already, so rectangle (B, y) costs A.y + B.x = 10 + 8 = 18;
    # (C, y) 10 + 5 + 6 = 21, (C, z) 12 + 5 + 14 = 31, (B, z) 12 + 8 + 20 = 40.
    assert pattern.primary == keys("t", "A.x", "B.y")
    assert pattern.secondary == keys("t", "A.y", "B.x")
    report = audit(pattern)
    show(report)
    # A.x = 2 + u, A.y = 10 - u, B.x = 8 - u, B.y = 4 + u: u in [-2, 8], width 10.
    assert report.passed
    assert report.tables[0].smallest_width == 10


def test_k_3_gives_another_pattern() -> None:
    pattern = suppress(grid("t", K_TABLE), k=3)
    # B.y = 4 is now published, so (B, y) costs 10 + 8 + 4 = 22 and (C, y) 10 + 5 + 6 = 21 wins
    # (C.x = 5 can go down by 3).
    assert pattern.primary == keys("t", "A.x")
    assert pattern.secondary == keys("t", "A.y", "C.x", "C.y")
    report = audit(pattern)
    show(report)
    # A.x = 2 + u, A.y = 10 - u, C.x = 5 - u, C.y = 6 + u: u in [-2, 5], width 7 >= 3.
    assert report.passed
    assert report.tables[0].smallest_width == 7
    assert rule(3).startswith("Aantallen van 1 tot en met 2 ")


def test_large_counts_stay_visible_when_nothing_needs_them() -> None:
    release = grid("t", {"A": [5, 10], "B": [0, 2627]}, ["x", "y"])
    pattern = suppress(release)
    assert pattern.hidden == frozenset()
    assert audit(pattern).passed
    assert pattern.published == dict(release.values)


# ---------------------------------------------------------------- linked tables


def linked_pair() -> tuple[Release, Release, tuple[Relation, ...]]:
    """P: a count per region; S: sector x region, whose column totals are P's counts.

    P:  R1 3, R2 20, R3 25, Totaal 48.
    S:        R1  R2  R3 | T
        a      3  20   5 | 28
        b      0   0  20 | 20
        T      3  20  25 | 48
    """
    p = crosstab("P", {("R1", "n"): 3, ("R2", "n"): 20, ("R3", "n"): 25}, row_totals=False)
    s = grid("S", {"a": [3, 20, 5], "b": [0, 0, 20]}, ["R1", "R2", "R3"])
    links = link(p.column("P", "n"), s.row("S", TOTAL))
    return p, s, links


def test_linked_tables_protected_one_by_one_leak() -> None:
    p, s, links = linked_pair()
    alone_p, alone_s = suppress(p), suppress(s)
    # P alone: R1 up by 5 against R2 (20) rather than R3 (25) or the total (48).
    assert alone_p.secondary == keys("P", "R2.n")
    # S alone: T.R1 up takes a.R1 up (both primary); a.R3 and T.R3 down cost 5 + 25 = 30,
    # a.R2 and T.R2 down 20 + 20 = 40, a.T and T.T up 28 + 48 = 76.
    assert alone_s.primary == keys("S", "a.R1", f"{TOTAL}.R1")
    assert alone_s.secondary == keys("S", "a.R3", f"{TOTAL}.R3")
    assert audit(alone_p).passed and audit(alone_s).passed
    # Published together: P shows R3 = 25 = S's hidden T.R3, so a.R1 = 28 - 20 - (25 - 20) = 3;
    # S shows T.R2 = 20 = P's hidden R2, so R1 = 48 - 20 - 25 = 3.
    both = Suppression(
        combine(p, s, links=links),
        5,
        alone_p.primary | alone_s.primary,
        alone_p.secondary | alone_s.secondary,
    )
    report = audit(both)
    show(report)
    assert not report.passed
    assert report.intervals[Key("P", "R1", "n")] == Interval(3, 3)
    assert report.intervals[Key("S", "a", "R1")] == Interval(3, 3)


def test_linked_tables_protected_together() -> None:
    p, s, links = linked_pair()
    pattern = suppress(combine(p, s, links=links))
    # P.R1 up by 5 takes S's T.R1 and a.R1 up (hidden). Balancing it in both tables at once:
    # P.R3, S T.R3 and S a.R3 down: 25 + 25 + 5 = 55; via R2: 20 + 20 + 20 = 60; via the
    # totals: P.T, S T.T and S a.T up: 48 + 48 + 28 = 124.
    assert pattern.secondary == keys("P", "R3.n") | keys("S", "a.R3", f"{TOTAL}.R3")
    report = audit(pattern)
    show(report)
    assert report.passed
    # a.R1 = u, a.R3 = 8 - u, T.R3 = P.R3 = 28 - u: u in [0, 8].
    assert report.intervals[Key("P", "R1", "n")] == Interval(0, 8)
    assert {t.table: t.smallest_width for t in report.tables} == {"P": 8, "S": 8}


def test_a_linked_margin_must_be_named() -> None:
    p, s, _ = linked_pair()
    with pytest.raises(ValueError, match="margins differ"):
        link(p.column("P", "n"), s.column("S", "R1"))


def test_a_relation_that_does_not_hold_is_refused() -> None:
    p, s, _ = linked_pair()
    with pytest.raises(ValueError, match="does not hold"):
        combine(p, s, links=[same(Key("P", "R2", "n"), Key("S", TOTAL, "R3"))])


def test_a_complement_that_is_not_printed_is_protected_too() -> None:
    """Sustainability known (the total column) and sustainable are printed; not sustainable
    is not, but R2's is 8 - 7 = 1 by subtraction.

            sust  not | known
        R1    40    9 |    49
        R2     7    1 |     8
        R3    30   12 |    42
        T     77   22 |    99
    """
    release = grid("d", {"R1": [40, 9], "R2": [7, 1], "R3": [30, 12]}, ["sust", "not"])
    hidden_column = list(release.column("d", "not").values())
    naive = primary_suppression(release, unpublished=hidden_column)
    assert naive.primary == keys("d", "R2.not")
    assert audit(naive).intervals[Key("d", "R2", "not")] == Interval(1, 1)
    pattern = suppress(release, unpublished=hidden_column)
    # R2.not up by 5 takes R2.sust down (7); column sust then needs R3.sust up (30; its not
    # goes down, unknown, free) or R1.sust (40) or the total (77); or R2.known up (8) and
    # R3.known down (42): 7 + 30 = 37 is cheapest.
    assert pattern.secondary == keys("d", "R2.sust", "R3.sust")
    report = audit(pattern)
    show(report)
    # R2.sust = 7 - u, R2.not = 1 + u, R3.sust = 30 + u, R3.not = 12 - u: u in [-1, 7].
    assert report.passed and report.tables[0].smallest_width == 8
    assert (report.tables[0].primary, report.tables[0].secondary) == (1, 2)
    assert Key("d", "R1", "not") not in pattern.published  # never printed
    assert Key("d", "R2", TOTAL) in pattern.published
    # The share sustainable of R2, 7 / 8, is hidden with its count.
    assert hide_derived(8, inputs=[Key("d", "R2", "sust")], hidden=pattern)


# ---------------------------------------------------------------- derived values


def test_derived_values() -> None:
    assert hide_derived(3)  # a rate on 3 transitions
    assert not hide_derived(5)
    assert not hide_derived(None)  # no value, nothing to hide
    assert not hide_derived(0)  # a rate on 0 units does not exist: shown as a dash
    assert hide_derived(4, k=5) and not hide_derived(4, k=3)
    pattern = suppress(grid("t", SUBTRACTION))
    # A rate on 25 units whose count A.x (or secondary A.y) is hidden is hidden.
    assert hide_derived(25, inputs=[Key("t", "A", "x"), Key("t", "A", TOTAL)], hidden=pattern)
    assert hide_derived(25, inputs=[Key("t", "A", "y")], hidden=pattern)
    assert not hide_derived(40, inputs=[Key("t", "C", "x"), Key("t", "C", TOTAL)], hidden=pattern)


# ---------------------------------------------------------------- determinism


def test_same_input_same_pattern_whatever_the_order() -> None:
    release = grid("t", {"A": [1, 7, 7, 2], "B": [7, 7, 1, 7], "C": [2, 7, 7, 7]}, ["w", "x", "y", "z"])
    first = suppress(release)
    items = list(release.values.items())
    random.Random(16).shuffle(items)
    relations = list(release.relations)
    random.Random(17).shuffle(relations)
    shuffled = suppress(Release(dict(items), tuple(relations)))
    assert first == suppress(release)
    assert (shuffled.primary, shuffled.secondary) == (first.primary, first.secondary)
    show(audit(first))
    assert audit(first).passed


# ---------------------------------------------------------------- the demo answer, 2019-2022

# Transitions per NACE section (rows) and province (columns, the order of PROVINCES).
SECTORS = {
    "A": [12, 2, 7, 3, 14, 0, 0, 0],
    "B": [2, 1, 0, 1, 2, 0, 0, 0],
    "C": [103, 54, 101, 31, 101, 1, 1, 0],
    "D": [4, 0, 2, 0, 2, 0, 0, 0],
    "E": [5, 7, 8, 2, 8, 0, 0, 0],
    "F": [64, 32, 49, 22, 56, 1, 1, 0],
    "G": [132, 46, 102, 48, 123, 2, 2, 0],
    "H": [51, 26, 44, 18, 51, 1, 2, 0],
    "I": [46, 25, 42, 16, 41, 0, 0, 0],
    "J": [20, 5, 12, 7, 16, 0, 2, 0],
    "K": [12, 10, 9, 2, 8, 0, 1, 0],
    "L": [7, 2, 3, 1, 4, 0, 0, 0],
    "M": [32, 21, 33, 17, 34, 1, 0, 0],
    "N": [94, 40, 57, 40, 83, 0, 0, 0],
    "O": [7, 15, 16, 6, 15, 0, 0, 0],
    "P": [31, 11, 14, 10, 20, 2, 1, 0],
    "Q": [78, 38, 59, 21, 64, 0, 0, 0],
    "R": [23, 10, 6, 4, 14, 0, 0, 0],
    "S": [18, 8, 17, 6, 21, 0, 0, 0],
    "T": [1, 0, 0, 0, 0, 0, 0, 0],
    "U": [0, 0, 0, 0, 0, 0, 0, 0],
    "?": [0, 0, 0, 0, 1, 0, 0, 0],
}
# Per province: closed WOPs; transitions per cohort year 2019-2022; returns.
CLOSED = [8047, 3851, 6641, 4745, 5320, 144, 93, 62]
BY_YEAR = [
    [164, 211, 181, 186],
    [101, 89, 88, 75],
    [157, 118, 156, 150],
    [57, 69, 64, 65],
    [166, 173, 188, 151],
    [2, 1, 2, 3],
    [3, 2, 0, 5],
    [0, 0, 0, 0],
]
RETURNS = [150, 63, 105, 44, 123, 2, 0, 0]


def demo_release() -> Release:
    """The counts of questions 1 to 3 as published together: q1 (closed WOPs and transitions
    per province, 8 x 2 + totals), q1_year (8 provinces x 4 years + totals), q2 (22 sections x 8
    provinces + totals: 23 x 9) and q3 (transitions and returns per province). The transitions
    per province are one margin printed four times."""
    transitions = [sum(row) for row in BY_YEAR]
    q1 = crosstab(
        "q1",
        {
            (p, c): v
            for p, *vs in zip(PROVINCES, CLOSED, transitions, strict=True)
            for c, v in zip(["wops", "n"], vs, strict=True)
        },
        row_totals=False,
    )
    q1_year = crosstab(
        "q1_year",
        {
            (p, str(y)): v
            for p, vs in zip(PROVINCES, BY_YEAR, strict=True)
            for y, v in zip(range(2019, 2023), vs, strict=True)
        },
    )
    q2 = crosstab("q2", {(s, p): v for s, vs in SECTORS.items() for p, v in zip(PROVINCES, vs, strict=True)})
    q3 = crosstab(
        "q3",
        {
            (p, c): v
            for p, *vs in zip(PROVINCES, transitions, RETURNS, strict=True)
            for c, v in zip(["n", "returns"], vs, strict=True)
        },
        row_totals=False,
    )
    margin = q1.column("q1", "n")
    links = (
        *link(margin, q1_year.column("q1_year", TOTAL)),
        *link(margin, q2.row("q2", TOTAL)),
        *link(margin, q3.column("q3", "n")),
    )
    return combine(q1, q1_year, q2, q3, links=links)


@pytest.fixture(scope="module")
def demo() -> tuple[Release, Suppression, float]:
    started = time.perf_counter()
    release = demo_release()
    pattern = suppress(release)
    return release, pattern, time.perf_counter() - started


def test_demo_answer_publishes_no_small_count(demo: tuple[Release, Suppression, float]) -> None:
    release, pattern, _ = demo
    assert len(release.values) == 18 + 45 + 23 * 9 + 18
    assert not [key for key, v in pattern.published.items() if 0 < v < 5]
    started = time.perf_counter()
    report = audit(pattern)
    seconds = time.perf_counter() - started
    show(report)
    print(f"suppress + audit of {len(release.values)} cells: {demo[2]:.2f} s + {seconds:.2f} s")
    assert report.passed
    assert all(t.smallest_width is None or t.smallest_width >= 5 for t in report.tables)


def test_demo_answer_keeps_the_official_totals(demo: tuple[Release, Suppression, float]) -> None:
    _, pattern, _ = demo
    for key in [
        Key("q1", TOTAL, "n"),  # 2,627 transitions
        Key("q2", TOTAL, TOTAL),
        Key("q1_year", TOTAL, TOTAL),
        Key("q3", TOTAL, "returns"),  # 487 returns
        Key("q1", TOTAL, "wops"),  # 28,903 closed WOPs
    ]:
        assert key not in pattern
    assert pattern.release.values[Key("q1", TOTAL, "n")] == 2627
    assert pattern.release.values[Key("q3", TOTAL, "returns")] == 487
    # The same number is hidden everywhere it is printed, or nowhere.
    for province in PROVINCES:
        printed = [
            Key("q1", province, "n"),
            Key("q1_year", province, TOTAL),
            Key("q2", TOTAL, province),
            Key("q3", province, "n"),
        ]
        assert len({key in pattern for key in printed}) == 1


def test_demo_answer_is_fast_and_deterministic(demo: tuple[Release, Suppression, float]) -> None:
    release, pattern, seconds = demo
    assert seconds < 5
    assert suppress(release) == pattern
