"""Disclosure control for a release of count tables: primary and secondary cell suppression, and
the audit that proves no hidden cell can be recomputed from what is published.

A *release* is every count published together (the answer's province table, province x year
table, sector x province table, returns table...), as cells keyed (table, row, column), plus the
additive *relations* between them: a total equals the sum of its parts, within a table (row,
column and grand totals) and across tables (the same number printed in two tables is a relation
with one part). An attacker knows every published value and every relation, and that counts are
non-negative.

The rule (k = 5 by default):

- *primary*: a count from 1 to k-1 is hidden; zeros stay visible (a zero says nothing about a
  person). A rate, share or median computed on fewer than k units, or on a hidden count, is
  hidden too (`hide_derived`); the caller may add other primary cells (e.g. dominance).
- *secondary*: further cells are hidden until every hidden cell can take, given everything
  published, values at least k apart (max - min >= k). Exact recomputation by subtraction is
  the case width 0; narrowing a cell to [0, 3] is also refused.
- *audit*: for every hidden cell two linear programs (HiGHS through ``scipy.optimize.linprog``)
  find its smallest and largest feasible value. Integers are relaxed to reals, which can only
  widen an interval; for tables with row and column totals (totally unimodular relations, integer
  published values) the LP bounds are integers, so they are the exact integer bounds.

Method, and why no library:

- The SACRO project's ``acro`` (PyPI) is an output checker for researchers in a secure
  environment: it wraps pandas/statsmodels calls (and imports statsmodels and matplotlib), checks
  one table at a time for thresholds and dominance, and with suppression and margins it deletes
  the risky records and recomputes the totals without them. That is primary suppression only,
  with no protection across tables that share margins, and it would change the official totals
  (2,627 transitions) instead of publishing them; ``small_counts`` is its threshold rule.
- Statistics Norway's GaussSuppression and sdcTable / tau-Argus (hypercube, modular, optimal)
  are the reference methods for secondary suppression, linked tables included, but they are R
  (and Java/C++ with commercial LP solvers for tau-Argus); adding an R runtime to the pipeline for
  tables of a few hundred cells is not worth it. GaussSuppression also only guarantees that a
  hidden cell is not an exact linear combination of published ones (width > 0), not a width of k.
- Here: the classic LP heuristic behind tau-Argus' modular method and Kelly, Golden & Assad's
  network approach, for any set of linear relations. Hidden cells are checked in order (primary
  first, then secondary, each by key). For a hidden cell x whose interval [lo, hi] is narrower
  than k, one LP looks for the cheapest *deviation*: a change d of the table that keeps every
  relation (M d = 0), keeps every cell non-negative, moves x up by k - (x - lo), moves hidden
  cells for free and costs ``value`` per unit for a visible cell (totals are large, so they are
  avoided; zeros cost more than any count, so they are a last resort; a tiny cost by key order
  breaks ties, which keeps the pattern deterministic). The visible cells the deviation touches
  are hidden as secondary: the deviated table is consistent with everything still published, so
  x's maximum is now at least lo + k. In a 2-D table the cheapest deviation is the cheapest
  rectangle (x and three cells, the opposite corner going up), the textbook secondary pattern;
  across linked tables it follows the shared margins by itself. Hiding more cells never narrows
  an interval, so a checked cell stays safe and the loop ends (each step hides a new cell).
  A naive greedy "hide the smallest visible cell in a relation of x" does worse: on the test
  table it hides x's whole row and column, totals included, and x is still exact, because the
  opposite corner of a rectangle is in no relation of x.

Not covered (judged not needed for these tables): an attacker who knows the rule (that a hidden
primary cell is 1 to k-1), cells dominated by one employer, and removing secondary cells that a
later step made redundant (the pattern is safe, not always minimal).

Typical use::

    release = combine(crosstab("q1", ...), crosstab("q2", ...), links=link(...))
    suppression = suppress(release, k=5)
    report = audit(suppression)          # report.passed; print(report.text())
    suppression.reason(key)              # "primary", "secondary" or None -> model.Suppressed
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NamedTuple

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

K = 5  # the default threshold: counts of 1 to K-1 are hidden
TOTAL = "Totaal"  # the label of the total row and column made by `crosstab`
TOLERANCE = 1e-6  # LP bounds are floats; a width within this of k passes

Reason = Literal["primary", "secondary"]


class Key(NamedTuple):
    """A published cell: table, row label, column label (all text, so keys sort)."""

    table: str
    row: str
    column: str

    def __str__(self) -> str:
        return f"{self.table}[{self.row}, {self.column}]"


@dataclass(frozen=True)
class Relation:
    """``total`` = sum of ``parts``. A relation with one part says two cells hold the same number
    (the same count printed in two tables)."""

    total: Key
    parts: tuple[Key, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", Key(*self.total))
        object.__setattr__(self, "parts", tuple(Key(*p) for p in self.parts))
        if not self.parts:
            raise ValueError(f"relation for {self.total} has no parts")
        if self.total in self.parts:
            raise ValueError(f"relation for {self.total} lists it among its parts")


def same(a: Key, b: Key) -> Relation:
    """Cells ``a`` and ``b`` publish the same number (e.g. a province total in two tables)."""
    return Relation(a, (b,))


@dataclass(frozen=True)
class Release:
    """Every count published together, and how they add up. Checked on construction: every
    relation refers to published cells and holds, every value is a non-negative integer (an
    inconsistent relation would make the audit's linear programs infeasible)."""

    values: Mapping[Key, int]
    relations: tuple[Relation, ...] = ()

    def __post_init__(self) -> None:
        values = {Key(*key): value for key, value in self.values.items()}
        for key, value in values.items():
            if not all(isinstance(part, str) for part in key):
                raise TypeError(f"cell key {key!r}: table, row and column must be text")
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                raise ValueError(f"cell {key}: {value!r} is not a non-negative integer count")
        object.__setattr__(self, "values", MappingProxyType({k: int(v) for k, v in values.items()}))
        object.__setattr__(self, "relations", tuple(self.relations))
        for relation in self.relations:
            missing = [str(k) for k in (relation.total, *relation.parts) if k not in values]
            if missing:
                raise KeyError(f"relation for {relation.total} refers to unpublished cells {missing}")
            parts = sum(values[p] for p in relation.parts)
            if parts != values[relation.total]:
                raise ValueError(
                    f"relation does not hold: {relation.total} = {values[relation.total]}, "
                    f"its parts sum to {parts}"
                )

    @property
    def tables(self) -> tuple[str, ...]:
        """Table names in the order their first cell was given."""
        return tuple(dict.fromkeys(key.table for key in self.values))

    def row(self, table: str, row: str) -> dict[str, Key]:
        """The cells of one row, by column label (e.g. the total row, to link it to another table)."""
        return {k.column: k for k in self.values if k.table == table and k.row == row}

    def column(self, table: str, column: str) -> dict[str, Key]:
        """The cells of one column, by row label (e.g. the total column, to link it)."""
        return {k.row: k for k in self.values if k.table == table and k.column == column}


def crosstab(
    table: str,
    interior: Mapping[tuple[str, str], int],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    total: str = TOTAL,
) -> Release:
    """A 2-D count table with the totals it publishes, computed here from the interior cells.

    ``interior`` maps (row, column) to a count and must cover every row x column (zeros
    included: a zero is published). ``row_totals`` adds a ``total`` column (one total per row),
    ``column_totals`` a ``total`` row; with both there is a grand total, the sum of either. A
    one-column list (the province table) is ``row_totals=False``.
    """
    rows = list(dict.fromkeys(r for r, _ in interior))
    columns = list(dict.fromkeys(c for _, c in interior))
    missing = [(r, c) for r in rows for c in columns if (r, c) not in interior]
    if missing:
        raise ValueError(f"table {table}: no value for {missing[:5]} (give zeros explicitly)")
    if total in rows or total in columns:
        raise ValueError(f"table {table}: {total!r} is the total label, not a row or column")
    values = {Key(table, r, c): int(interior[r, c]) for r in rows for c in columns}
    relations: list[Relation] = []
    if row_totals:
        for r in rows:
            parts = tuple(Key(table, r, c) for c in columns)
            values[Key(table, r, total)] = sum(values[p] for p in parts)
            relations.append(Relation(Key(table, r, total), parts))
    if column_totals:
        for c in columns:
            parts = tuple(Key(table, r, c) for r in rows)
            values[Key(table, total, c)] = sum(values[p] for p in parts)
            relations.append(Relation(Key(table, total, c), parts))
    if row_totals and column_totals:
        grand = Key(table, total, total)
        values[grand] = sum(values[Key(table, r, total)] for r in rows)
        relations.append(Relation(grand, tuple(Key(table, r, total) for r in rows)))
        relations.append(Relation(grand, tuple(Key(table, total, c) for c in columns)))
    return Release(values, tuple(relations))


def link(
    a: Mapping[str, Key], b: Mapping[str, Key], labels: Iterable[str] | None = None
) -> tuple[Relation, ...]:
    """Equality relations between two margins that publish the same numbers, matched by label:
    e.g. ``link(release.column("q1", "doorstromen"), release.row("q2", "Totaal"), provinces)``.
    Without ``labels`` both must have the same labels, so a label left out is an error, not a
    silently unprotected cell."""
    if labels is None:
        if set(a) != set(b):
            raise ValueError(f"margins differ: {sorted(set(a) ^ set(b))}; pass the labels to link")
        labels = a
    return tuple(same(a[label], b[label]) for label in labels)


def combine(*releases: Release, links: Iterable[Relation] = ()) -> Release:
    """One release of several tables, with the relations that link them."""
    values: dict[Key, int] = {}
    relations: list[Relation] = []
    for release in releases:
        clash = values.keys() & release.values.keys()
        if clash:
            raise ValueError(f"cells given twice: {sorted(map(str, clash))[:5]}")
        values.update(release.values)
        relations.extend(release.relations)
    return Release(values, (*relations, *links))


def small_counts(release: Release, k: int = K) -> frozenset[Key]:
    """The primary rule for counts: 1 to k-1 is hidden, 0 and k or more are not."""
    return frozenset(key for key, value in release.values.items() if 0 < value < k)


def hide_derived(
    units: int | None, *, k: int = K, inputs: Iterable[Key] = (), hidden: Container[Key] = ()
) -> bool:
    """Whether a rate, share or median must be hidden: it is computed on fewer than ``k`` units
    (``units``: its denominator, or the number of persons a median is taken over), or on a count
    that is hidden (``inputs``: the cells it is computed from; a visible rate next to its visible
    denominator would give the hidden count back). ``units`` None (no value) is never hidden:
    there is nothing to show, nor is 0 (a rate on no units has no value; the report shows a dash).
    ``hidden`` is typically a `Suppression`."""
    if units is not None and 0 < units < k:
        return True
    return any(key in hidden for key in inputs)


@dataclass(frozen=True)
class Suppression:
    """A suppression pattern on a release: which cells are hidden and why. ``key in pattern``
    says whether a cell is hidden; ``reason`` gives the flag for the report's marker.

    ``unpublished`` cells are in the release only for their relations and are never printed
    (e.g. the transitions that were not sustainable: known = sustainable + not sustainable):
    unknown to the attacker, so they need no secondary cells to hide them, but one that is a
    small count is primary, so that it cannot be recomputed by subtraction either."""

    release: Release
    k: int
    primary: frozenset[Key]
    secondary: frozenset[Key] = frozenset()
    unpublished: frozenset[Key] = frozenset()

    def __post_init__(self) -> None:
        unknown = (self.primary | self.secondary | self.unpublished) - self.release.values.keys()
        if unknown:
            raise KeyError(f"hidden cells not in the release: {sorted(map(str, unknown))[:5]}")
        if self.primary & self.secondary or self.secondary & self.unpublished:
            raise ValueError("a secondary cell can be neither primary nor unpublished")

    @property
    def hidden(self) -> frozenset[Key]:
        return self.primary | self.secondary

    def __contains__(self, key: object) -> bool:
        return key in self.primary or key in self.secondary

    def reason(self, key: Key) -> Reason | None:
        """The flag for the report's marker: "primary", "secondary", or None when shown."""
        if key in self.primary:
            return "primary"
        return "secondary" if key in self.secondary else None

    @property
    def published(self) -> dict[Key, int]:
        """The values that are shown."""
        return {
            key: v
            for key, v in self.release.values.items()
            if key not in self and key not in self.unpublished
        }


@dataclass(frozen=True)
class Interval:
    """The values a hidden cell can take given everything published (``high`` may be inf)."""

    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


class _Model:
    """The release as arrays: cells in key order, and the relations as a sparse matrix M with
    one row per relation (+1 for a part, -1 for the total), so a table x is consistent iff
    M x = 0. Built once per release; every LP is a column slice of M."""

    def __init__(self, release: Release) -> None:
        self.keys: list[Key] = sorted(release.values)
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.values = np.array([release.values[key] for key in self.keys], dtype=float)
        rows: list[int] = []
        cols: list[int] = []
        data: list[float] = []
        relations = sorted(release.relations, key=lambda rel: (rel.total, rel.parts))  # same LP, any order
        for r, relation in enumerate(relations):
            for part in relation.parts:
                rows.append(r)
                cols.append(self.index[part])
                data.append(1.0)
            rows.append(r)
            cols.append(self.index[relation.total])
            data.append(-1.0)
        shape = (len(relations), len(self.keys))
        self.matrix = sparse.csc_array((data, (rows, cols)), shape=shape)  # duplicates are summed
        self.matrix.sum_duplicates()

    def mask(self, keys: Iterable[Key]) -> np.ndarray:
        mask = np.zeros(len(self.keys), dtype=bool)
        mask[[self.index[key] for key in keys]] = True
        return mask

    def interval(self, hidden: np.ndarray, i: int) -> Interval:
        """Smallest and largest value of hidden cell i: min and max of x_i subject to the
        relations with the published cells fixed (M_h x_h = -M_v v_v) and x_h >= 0."""
        columns = np.flatnonzero(hidden)
        a = self.matrix[:, columns]
        b = -(self.matrix[:, ~hidden] @ self.values[~hidden])
        used = np.diff(a.tocsr().indptr) > 0  # relations without a hidden cell constrain nothing
        if not used.any():
            return Interval(0.0, math.inf)
        a, b = a.tocsr()[used], b[used]
        c = (columns == i).astype(float)
        low = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        if low.status == 2 or high.status == 2:
            raise RuntimeError(f"audit LP infeasible for {self.keys[i]}: the release is inconsistent")
        if low.status != 0 or high.status not in (0, 3):
            raise RuntimeError(f"audit LP failed for {self.keys[i]}: {low.message}; {high.message}")
        return Interval(float(low.fun), math.inf if high.status == 3 else float(-high.fun))

    def deviation(self, hidden: np.ndarray, frozen: np.ndarray, i: int, shift: float) -> np.ndarray:
        """The visible cells of the cheapest change of the table that moves cell i up by
        ``shift``, keeps every relation and every cell >= 0 (LP over d = up - down, up, down >=
        0, down <= value); hidden cells move for free, ``frozen`` cells not at all."""
        n = len(self.keys)
        zero_cost = 1.0 + self.values.sum()  # a zero is hidden only when no count will do
        cost = np.where(self.values > 0, self.values, zero_cost)
        cost = cost + np.arange(n) / (1000.0 * n)  # ties: the lowest key is cheaper
        cost = np.where(hidden, 0.0, cost)
        target = sparse.csr_array(([1.0], ([0], [i])), shape=(1, n))
        a = sparse.vstack(
            [sparse.hstack([self.matrix, -self.matrix]), sparse.hstack([target, -target])], format="csr"
        )
        b = np.zeros(a.shape[0])
        b[-1] = shift
        upper_up = np.where(frozen, 0.0, np.inf)
        upper_down = np.where(frozen, 0.0, self.values)
        bounds = np.column_stack([np.zeros(2 * n), np.concatenate([upper_up, upper_down])])
        result = linprog(np.concatenate([cost, cost]), A_eq=a, b_eq=b, bounds=bounds, method="highs")
        if result.status != 0:
            raise RuntimeError(f"cannot protect {self.keys[i]}: {result.message}")
        moved = result.x[:n] + result.x[n:] > TOLERANCE * max(shift, 1.0)
        return np.flatnonzero(moved & ~hidden)


def primary_suppression(
    release: Release, k: int = K, *, extra: Iterable[Key] = (), unpublished: Iterable[Key] = ()
) -> Suppression:
    """Only the primary cells (small counts and ``extra``): the naive pattern, which the audit
    typically refuses since a hidden cell is its total minus the others."""
    primary = small_counts(release, k) | frozenset(map(Key._make, extra))
    return Suppression(release, k, primary, unpublished=frozenset(map(Key._make, unpublished)))


def suppress(
    release: Release,
    k: int = K,
    *,
    extra: Iterable[Key] = (),
    keep: Iterable[Key] = (),
    unpublished: Iterable[Key] = (),
) -> Suppression:
    """Primary suppression (counts 1 to k-1, plus ``extra`` cells the caller judges risky) and
    the secondary cells that protect them, across every table of the release. ``keep`` are
    cells that must stay visible (never chosen as secondary); ``unpublished`` cells are never
    shown (see `Suppression`). Deterministic: the same release gives the same pattern whatever
    the order its cells were given in."""
    if k < 1:
        raise ValueError("k must be at least 1")
    start = primary_suppression(release, k, extra=extra, unpublished=unpublished)
    primary = start.primary
    keep = frozenset(map(Key._make, keep))
    if (primary | start.unpublished) & keep:
        clash = sorted(map(str, (primary | start.unpublished) & keep))
        raise ValueError(f"cells to keep visible are primary or unpublished: {clash}")
    model = _Model(release)
    hidden = model.mask(primary | start.unpublished)
    frozen = model.mask(keep)
    queue = [(0, model.index[key]) for key in primary]  # primary first, then by key order
    heapq.heapify(queue)
    secondary: set[int] = set()
    while queue:
        _, i = heapq.heappop(queue)
        interval = model.interval(hidden, i)
        while interval.width < k - TOLERANCE:
            shift = k - (model.values[i] - interval.low)
            new = model.deviation(hidden, frozen, i, shift)
            if not len(new):
                raise RuntimeError(f"no cell left to protect {model.keys[i]}")
            hidden[new] = True
            secondary.update(new.tolist())
            for j in new.tolist():
                heapq.heappush(queue, (1, j))
            interval = model.interval(hidden, i)
    secondary_keys = frozenset(model.keys[j] for j in secondary)
    return Suppression(release, k, primary, secondary_keys, start.unpublished)


@dataclass(frozen=True)
class TableAudit:
    """One table's line of the audit."""

    table: str
    primary: int
    secondary: int
    smallest_width: float | None  # None: nothing hidden in this table
    unsafe: tuple[Key, ...] = ()

    @property
    def hidden(self) -> int:
        return self.primary + self.secondary


@dataclass(frozen=True)
class Audit:
    """The proof: every hidden cell's feasible interval, and per table the hidden cells and
    the smallest width. ``passed`` when every width is at least k."""

    k: int
    intervals: Mapping[Key, Interval]
    tables: tuple[TableAudit, ...]
    unsafe: tuple[Key, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return not self.unsafe

    def text(self) -> str:
        """The audit as a small plain-text table (printed by the tests, logged by the report)."""
        verdict = "passed" if self.passed else f"FAILED for {len(self.unsafe)} cell(s)"
        lines = [
            f"Disclosure audit, k = {self.k}: every hidden cell must range over at least {self.k} "
            f"given everything published: {verdict}",
            f"{'table':<24} {'hidden':>6} {'primary':>7} {'secondary':>9} {'smallest width':>14}",
        ]
        for t in self.tables:
            width = "-" if t.smallest_width is None else _number(t.smallest_width)
            lines.append(f"{t.table:<24} {t.hidden:>6} {t.primary:>7} {t.secondary:>9} {width:>14}")
        for key in self.unsafe:
            interval = self.intervals[key]
            lines.append(f"  unsafe: {key} in [{_number(interval.low)}, {_number(interval.high)}]")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def _number(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:.6g}"


def audit(suppression: Suppression) -> Audit:
    """For every hidden cell, its smallest and largest value given every published value and
    every relation of the release (two LPs each; unpublished cells are unknowns too); the cell
    is unsafe when they are less than k apart. Independent of how the pattern was made: it
    audits any `Suppression`."""
    release, k = suppression.release, suppression.k
    model = _Model(release)
    hidden_keys = sorted(suppression.hidden)
    hidden = model.mask(suppression.hidden | suppression.unpublished)
    intervals = {key: model.interval(hidden, model.index[key]) for key in hidden_keys}
    unsafe = tuple(key for key in hidden_keys if intervals[key].width < k - TOLERANCE)
    tables = []
    for table in release.tables:
        keys = [key for key in hidden_keys if key.table == table]
        widths = [intervals[key].width for key in keys]
        tables.append(
            TableAudit(
                table=table,
                primary=sum(key in suppression.primary for key in keys),
                secondary=sum(key in suppression.secondary for key in keys),
                smallest_width=min(widths) if widths else None,
                unsafe=tuple(key for key in unsafe if key.table == table),
            )
        )
    return Audit(k, MappingProxyType(intervals), tuple(tables), unsafe)


def rule(k: int = K) -> str:
    """The rule in one Dutch sentence, for the report."""
    return (
        f"Aantallen van 1 tot en met {k - 1} en cijfers berekend op minder dan {k} eenheden zijn "
        f"vervangen door x, net als enkele andere cellen, zodat geen verborgen aantal uit de "
        f"gepubliceerde totalen van deze tabellen tot op minder dan {k} na te berekenen is."
    )
