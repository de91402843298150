"""What the book's words allow the unprinted training figures (book Figures 3.2 and 3.3) to be.

The book draws two bar charts of formal management training (levels *minimal*, *some*,
*substantial*), by trust (Figure 3.2) and by management group (Figure 3.3), but prints none of
their values. ``data/training_constraints.csv`` holds every statement that constrains them, as
check expressions over a hypothetical resource ``training(trust, cohort, level, count)``.

The unknown is the joint allocation ``x[trust, cohort, level]`` of non-negative integers whose
sum over the levels is the Table 3.2 count of each trust x cohort cell. Figure 3.2 is its
trust x level margin, Figure 3.3 its cohort x level margin. This module finds, exactly:

* which Figure 3.2 tables, which Figure 3.3 tables and which (3.2, 3.3) pairs some allocation
  meeting the constraints produces, and how many there are;
* for every bar of each figure its lowest and highest possible count.

>>> result = enumerate_allocations(load_data())
>>> result.count_pairs, result.count_by_trust, result.count_by_cohort
>>> result.cell_bounds            # figure, group, level, low, high, determined

How it is exact and fast
------------------------
1. Every constraint is turned into an exact linear form over the 27 cells of ``x`` (fractions,
   not floats). A division is allowed only by a quantity that the Table 3.2 margins fix (such as
   ``sum(training.count)``, always the sample size). :func:`evaluate_constraint` checks any one
   allocation with the project's own expression evaluator, and the tests compare the two.
2. None of the book's statements tells *some* from *substantial* (they speak of minimal training,
   or of some-or-substantial together). Then a constraint depends on ``x`` only through the
   trust x cohort table of minimal training ``M``, so the feasible ``M`` are enumerated once
   (inside a bounding box found by integer programming). A constraint that does tell the two
   apart is refused with :class:`NotImplementedError` rather than handled wrongly.
3. For a given ``M`` the trust x cohort table ``S`` of *some* training can be any integer table
   with ``0 <= S <= N - M`` (the rest is substantial). Whether margins ``r`` (by trust) and
   ``c`` (by cohort) are reachable is a flow problem: by max-flow/min-cut they are if and only
   if ``sum(r) == sum(c)`` and, for every set ``J`` of cohorts,
   ``sum(c[J]) <= sum_i min(r[i], (N - M)[i, J])``. With three cohorts this is a box for each
   ``c[j]`` plus the fixed total, so the reachable ``c`` for each ``r`` are counted without
   listing them; the union over the several ``M`` sharing one pair of minimal margins is
   counted interval by interval (sorted sweep), so no pair is counted twice.
"""

import ast
import itertools
import operator
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, reduce
from math import lcm

import numpy as np
import pandas as pd

from .. import cache
from ..data.codes import cohort_codes, trust_codes
from ..data.expressions import CALL, ExpressionError, evaluate, parse_conditions, select
from .who_was_studied import sample_sizes

LEVELS = ("minimal", "some", "substantial")
OPERATORS = {"=": operator.eq, "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


def cells():
    """Every (trust, cohort, level) cell of the hypothetical resource ``training``, in order."""
    return [(t, c, l) for t in trust_codes() for c in cohort_codes() for l in LEVELS]


def figure_groups(figure):
    """The groups one unprinted figure has bars for: trusts (Figure 3.2) or cohorts (Figure 3.3)."""
    return {"3.2": trust_codes, "3.3": cohort_codes}[figure]()


# --- the hypothetical resource ---------------------------------------------------------------
def training_frames(allocation):
    """Raw (text) and typed frames of the hypothetical resource ``training`` for an allocation.

    ``allocation`` maps (trust, cohort, level) to a count; missing cells count 0.
    """
    rows = [(t, c, l, int(allocation.get((t, c, l), 0))) for t, c, l in cells()]
    typed = pd.DataFrame(rows, columns=["trust", "cohort", "level", "count"])
    raw = typed.astype(str)
    return raw, typed


def constraint_checker(data, allocation):
    """A function telling whether one allocation meets a constraint row, by the project's
    expression evaluator (the allocation's frames are built once, for every row checked)."""
    raw, typed = training_frames(allocation)
    raw_tables = {**data.raw, "training": raw}
    typed_tables = {**data.typed, "training": typed}

    def holds(constraint):
        lhs = evaluate(constraint["lhs"], raw_tables, typed_tables).value
        rhs = evaluate(constraint["rhs"], raw_tables, typed_tables).value
        return bool(OPERATORS[constraint["operator"]](lhs, rhs))

    return holds


def evaluate_constraint(data, constraint, allocation):
    """True if one allocation meets one constraint row, by the project's expression evaluator."""
    return constraint_checker(data, allocation)(constraint)


def margins(data):
    """Table 3.2 as a 3 x 3 integer array N[trust, cohort]."""
    sizes = sample_sizes(data)
    return np.array([[sizes[(t, c)] for c in cohort_codes()] for t in trust_codes()], dtype=np.int64)


# --- exact linear forms ----------------------------------------------------------------------
@dataclass(frozen=True)
class Linear:
    """``constant + sum(coefficients[cell] * x[cell])`` with exact fractions."""

    coefficients: tuple = ()  # empty: all zero (one zero per training cell)
    constant: Fraction = Fraction(0)

    def __post_init__(self):
        if not self.coefficients:
            object.__setattr__(self, "coefficients", (Fraction(0),) * len(cells()))

    @property
    def is_constant(self):
        return not any(self.coefficients)

    def __add__(self, other):
        return Linear(
            tuple(a + b for a, b in zip(self.coefficients, other.coefficients)),
            self.constant + other.constant,
        )

    def scale(self, factor):
        return Linear(tuple(a * factor for a in self.coefficients), self.constant * factor)


def fixed_by_margins(form, n):
    """The value of a form that Table 3.2 alone fixes, or None if it depends on the levels.

    Such a form gives every level of a trust x cohort cell the same weight, e.g.
    ``sum(training.count)`` (always the sample size).
    """
    value = form.constant
    position = {cell: k for k, cell in enumerate(cells())}
    for i, t in enumerate(trust_codes()):
        for j, c in enumerate(cohort_codes()):
            weights = {form.coefficients[position[(t, c, l)]] for l in LEVELS}
            if len(weights) != 1:
                return None
            value += weights.pop() * int(n[i, j])
    return value


def as_constant(form, n):
    """The value of a form that is constant or fixed by the margins, else None."""
    return form.constant if form.is_constant else fixed_by_margins(form, n)


def combine(node, names, n, expression):
    """Arithmetic over linear forms; refuses anything that would not stay linear."""
    if isinstance(node, ast.Expression):
        return combine(node.body, names, n, expression)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return Linear(constant=Fraction(str(node.value)))
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return combine(node.operand, names, n, expression).scale(-1)
    if isinstance(node, ast.BinOp):
        left = combine(node.left, names, n, expression)
        right = combine(node.right, names, n, expression)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left + right.scale(-1)
        if isinstance(node.op, ast.Mult):
            if left.is_constant:
                return right.scale(left.constant)
            if right.is_constant:
                return left.scale(right.constant)
            for fixed, other in ((left, right), (right, left)):
                factor = fixed_by_margins(fixed, n)
                if factor is not None:
                    return other.scale(factor)
            raise ExpressionError(f"{expression!r} multiplies two unknowns")
        if isinstance(node.op, ast.Div):
            divisor = as_constant(right, n)
            if divisor is None:
                raise ExpressionError(f"{expression!r} divides by a quantity the margins do not fix")
            if divisor == 0:
                raise ExpressionError(f"{expression!r} divides by zero")
            return left.scale(1 / divisor)
    raise ExpressionError(f"{expression!r}: only numbers, + - * / and parentheses may combine calls")


def linear_form(expression, data, n):
    """Exact linear form of an expression over the training cells (other resources are constants)."""
    raw_cells, _ = training_frames({})
    names = {}

    def replace(match):
        function, argument = match.group(1), match.group(2)
        target, _, condition_text = argument.partition(";")
        resource = target.strip().partition(".")[0]
        name = f"_v{len(names)}"
        if resource == "training":
            if function != "sum" or target.strip() != "training.count":
                raise ExpressionError(f"only sum(training.count; ...) is linear, got {match.group(0)!r}")
            hit = set(select(raw_cells, parse_conditions(condition_text), "training").index)
            names[name] = Linear(tuple(Fraction(1 if k in hit else 0) for k in range(len(raw_cells))))
        else:
            value = evaluate(match.group(0), data.raw, data.typed).value
            names[name] = Linear(constant=Fraction(str(value)))
        return name

    text = CALL.sub(replace, str(expression))
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"cannot read {expression!r}: {error}") from error
    return combine(tree, names, n, expression)


@dataclass(frozen=True)
class MinimalConstraint:
    """``sum(weights * M) + offset  (operator)  0`` over the trust x cohort table M of minimal
    training, with integer weights (scaled exactly from the fractions)."""

    constraint_id: str
    weights: np.ndarray = field(compare=False)
    offset: int
    operator: str

    def holds(self, values):
        """Vectorised test: ``values`` are ``sum(weights * M) + offset`` for many tables M."""
        return OPERATORS[self.operator](values, 0)


def minimal_constraint(row, data, n):
    """A constraint row as an integer linear constraint on the minimal table M.

    Raises NotImplementedError if the row tells 'some' from 'substantial', which no statement in
    the book does.
    """
    form = linear_form(row["lhs"], data, n) + linear_form(row["rhs"], data, n).scale(-1)
    weights = np.zeros((3, 3), dtype=object)
    offset = form.constant
    position = {cell: k for k, cell in enumerate(cells())}
    for i, t in enumerate(trust_codes()):
        for j, c in enumerate(cohort_codes()):
            a_min, a_some, a_sub = (form.coefficients[position[(t, c, l)]] for l in LEVELS)
            if a_some != a_sub:
                raise NotImplementedError(
                    f"constraint {row['constraint_id']} weighs 'some' and 'substantial' differently; "
                    "this method needs them alike"
                )
            offset += a_some * int(n[i, j])  # x_some + x_sub = N - M
            weights[i, j] = a_min - a_some
    scale = reduce(lcm, [f.denominator for f in [offset, *weights.ravel()]], 1)
    return MinimalConstraint(
        row["constraint_id"],
        np.array([[int(w * scale) for w in r] for r in weights], dtype=np.int64),
        int(offset * scale),
        row["operator"],
    )


# --- the feasible minimal tables ---------------------------------------------------------------
def integer_rows(weights, offset, op):
    """Rows (A, lower, upper) of a scipy LinearConstraint for ``weights.M + offset op 0``."""
    target = -offset
    if op == "=":
        return weights.ravel(), target, target
    if op == "<=":
        return weights.ravel(), -np.inf, target
    if op == "<":
        return weights.ravel(), -np.inf, target - 1  # integers: strict becomes <= target - 1
    if op == ">=":
        return weights.ravel(), target, np.inf
    return weights.ravel(), target + 1, np.inf


def bounding_box(constraints, n):
    """Lowest and highest value of each cell of M over the integer tables meeting the constraints
    (integer programming), or None if there is no such table."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows = [integer_rows(k.weights, k.offset, k.operator) for k in constraints]
    linear = (
        [
            LinearConstraint(
                np.array([r[0] for r in rows], dtype=float), [r[1] for r in rows], [r[2] for r in rows]
            )
        ]
        if rows
        else []
    )
    bounds = Bounds(np.zeros(9), n.ravel().astype(float))
    low, high = np.zeros(9, dtype=np.int64), np.zeros(9, dtype=np.int64)
    for cell in range(9):
        for sign, out in ((1, low), (-1, high)):
            objective = np.zeros(9)
            objective[cell] = sign
            found = milp(objective, constraints=linear, integrality=np.ones(9), bounds=bounds)
            if found.status == 2:
                return None
            if found.status != 0:
                raise RuntimeError(f"integer programme failed: {found.message}")
            out[cell] = int(round(found.x[cell]))
    return low.reshape(3, 3), high.reshape(3, 3)


def row_options(low, high):
    """Every integer row between two bound vectors."""
    return np.array(
        list(itertools.product(*(range(a, b + 1) for a, b in zip(low, high)))), dtype=np.int64
    ).reshape(-1, len(low))


def feasible_minimal_tables(constraints, n):
    """All trust x cohort tables M of minimal training (0 <= M <= N) meeting the constraints,
    as a (K, 3, 3) integer array in lexicographic order."""
    box = bounding_box(constraints, n)
    if box is None:
        return np.zeros((0, 3, 3), dtype=np.int64)
    low, high = box
    first, second, third = (row_options(low[i], high[i]) for i in range(3))
    rest = np.concatenate(
        [np.repeat(second, len(third), axis=0), np.tile(third, (len(second), 1))], axis=1
    )  # (P, 6)
    found = []
    for top in first:
        tables = np.concatenate([np.broadcast_to(top, (len(rest), 3)), rest], axis=1)
        keep = np.ones(len(tables), dtype=bool)
        for k in constraints:
            keep &= k.holds(tables @ k.weights.ravel() + k.offset)
        found.append(tables[keep])
    return np.concatenate(found).reshape(-1, 3, 3)


# --- counting the figures ----------------------------------------------------------------------
def compositions_count(upper):
    """How many integer vectors v with 0 <= v <= upper (elementwise)."""
    return int(np.prod(np.asarray(upper, dtype=np.int64) + 1))


COHORT_SUBSETS = [s for k in (1, 2) for s in itertools.combinations(range(3), k)]


ROWS_PER_PASS = 64  # trust rows r counted per pass: the (tables x rows) arrays then stay in the
# CPU cache, which made the count four to five times faster than all rows at once (2026-12-03)


def count_some_margins(n, rho, tables, group_of):
    """How many distinct (group, r, c) triples are reachable, where r and c are the trust and
    cohort margins of 'some' training and ``group_of[k]`` numbers the pair of minimal margins of
    ``tables[k]`` (all tables share the trust margins ``rho``; tables of one group are adjacent).

    For one remainder R = N - M, (r, c) is reachable iff sum(r) == sum(c) and, for every set J of
    cohorts, sum(c[J]) <= sum_i min(r[i], R[i, J]) (max-flow/min-cut; with r inside the row
    totals of R). With three cohorts that is a box lo[j] <= c[j] <= hi[j] plus the total. For
    each r and each c[0] the reachable c[1] form an interval per table; the union over the
    tables of a group is taken as a bit set (bit c[1]) and its size counted.
    """
    if int(n[:, 1].sum()) > 30:
        raise NotImplementedError("a cohort of more than 30 managers needs a wider bit set")
    remainders = (n[None] - tables).astype(np.int16)  # (K, 3, 3); counts are small
    columns = {s: remainders[:, :, list(s)].sum(axis=2, dtype=np.int16) for s in COHORT_SUBSETS}
    rows = row_options(np.zeros(3, dtype=np.int64), n.sum(axis=1) - np.asarray(rho)).astype(np.int16)
    starts = np.flatnonzero(np.r_[True, np.diff(group_of) != 0])
    return sum(
        count_reachable(rows[i : i + ROWS_PER_PASS], columns, starts)
        for i in range(0, len(rows), ROWS_PER_PASS)
    )


def capacity(r, column):
    """sum_i min(r[i], column[i]) for every table (axis 0) and every row r (axis 1)."""
    return sum(np.minimum(r[None, :, i], column[:, None, i]) for i in range(3))


def count_reachable(r, columns, starts):
    """:func:`count_some_margins` for the trust rows ``r`` only."""
    total = (r[:, 0] + r[:, 1] + r[:, 2])[None, :]  # (1, R)
    cap = {subset: capacity(r, column) for subset, column in columns.items()}  # each (K, R)
    others = {0: (1, 2), 1: (0, 2), 2: (0, 1)}
    lo = [np.maximum(0, total - cap[others[j]]) for j in range(3)]
    hi = [cap[(j,)] for j in range(3)]
    room_low, room_high = total - hi[2], total - lo[2]  # c[1] + c[0] must lie in between
    one = np.int32(1)  # bit c[1] of a set
    count = 0
    for c0 in range(int(lo[0].min()), int(hi[0].max()) + 1):
        c1_low = np.maximum(lo[1], room_low - c0)
        c1_high = np.minimum(hi[1], room_high - c0)
        empty = (c1_high < c1_low) | (c0 < lo[0]) | (c0 > hi[0])
        c1_low[empty], c1_high[empty] = 0, -1  # no bit
        masks = np.left_shift(one, c1_high + 1) - np.left_shift(one, c1_low)
        union = np.bitwise_or.reduceat(masks, starts, axis=0)
        count += int(np.bitwise_count(union).sum(dtype=np.int64))
    return count


@dataclass
class Allocations:
    """What the constraints allow Figures 3.2 and 3.3 to be (see the module docstring).

    ``minimal_tables`` are the feasible trust x cohort tables of minimal training; the figures'
    counts and bounds follow from them and Table 3.2 (``n``).
    """

    constraint_ids: tuple
    n: np.ndarray
    minimal_tables: np.ndarray

    @cached_property
    def minimal_by_trust(self):
        """Distinct feasible minimal counts by trust (the minimal bars of Figure 3.2)."""
        return sorted({tuple(int(v) for v in m.sum(axis=1)) for m in self.minimal_tables})

    @cached_property
    def minimal_by_cohort(self):
        """Distinct feasible minimal counts by cohort (the minimal bars of Figure 3.3)."""
        return sorted({tuple(int(v) for v in m.sum(axis=0)) for m in self.minimal_tables})

    @cached_property
    def count_by_trust(self):
        """Number of distinct Figure 3.2 tables (trust x level) some allocation produces: each
        feasible minimal row leaves every split of the rest into some/substantial open."""
        rows = self.n.sum(axis=1)
        return sum(compositions_count(rows - np.array(m)) for m in self.minimal_by_trust)

    @cached_property
    def count_by_cohort(self):
        """Number of distinct Figure 3.3 tables (cohort x level) some allocation produces."""
        columns = self.n.sum(axis=0)
        return sum(compositions_count(columns - np.array(m)) for m in self.minimal_by_cohort)

    @cached_property
    def count_pairs(self):
        """Number of distinct (Figure 3.2, Figure 3.3) pairs that one allocation produces together.

        The costliest number in the book (benchmarks/RESULTS.md), needed by this chapter and the
        appendix: cached under the hash of the arrays it is computed from and of this module's code."""
        digest = cache.key(
            *cache.array_parts(self.n, self.minimal_tables), *cache.code_of(sys.modules[__name__], "numpy")
        )
        return cache.stored("training-pairs", digest, self.counted_pairs)

    def counted_pairs(self):
        """:attr:`count_pairs` counted afresh."""
        tables = self.minimal_tables
        if len(tables) == 0:
            return 0
        rho = tables.sum(axis=2)
        gamma = tables.sum(axis=1)
        order = np.lexsort(np.concatenate([gamma, rho], axis=1).T[::-1])
        tables, rho, gamma = tables[order], rho[order], gamma[order]
        keys = np.concatenate([rho, gamma], axis=1)
        group_of = np.r_[0, np.cumsum(np.any(np.diff(keys, axis=0) != 0, axis=1))]
        total = 0
        for trust_margin in np.unique(rho, axis=0):
            same = np.all(rho == trust_margin, axis=1)
            total += count_some_margins(self.n, trust_margin, tables[same], group_of[same])
        return total

    @cached_property
    def count_minimal_tables(self):
        """Number of distinct trust x cohort tables of minimal training (shown by neither figure)."""
        return int(len(self.minimal_tables))

    @cached_property
    def cell_bounds(self):
        """Lowest and highest possible count of every bar of both figures."""
        records = []
        for figure, axis in (("3.2", 1), ("3.3", 0)):
            sizes = self.n.sum(axis=axis)
            minimal = np.array(self.minimal_by_trust if axis == 1 else self.minimal_by_cohort)
            for g, group in enumerate(figure_groups(figure)):
                if len(minimal) == 0:
                    continue
                low_min, high_min = int(minimal[:, g].min()), int(minimal[:, g].max())
                # some and substantial: any split of what is not minimal, so 0 up to the most left over
                spans = {
                    "minimal": (low_min, high_min),
                    "some": (0, int(sizes[g]) - low_min),
                    "substantial": (0, int(sizes[g]) - low_min),
                }
                for level in LEVELS:
                    low, high = spans[level]
                    records.append(
                        {
                            "figure": figure,
                            "group": group,
                            "level": level,
                            "low": low,
                            "high": high,
                            "determined": low == high,
                        }
                    )
        return pd.DataFrame(records, columns=["figure", "group", "level", "low", "high", "determined"])


def constraint_rows(data, include_interpretations=False):
    """The constraint rows in force: the encoded ones, plus the interpretations if asked."""
    rows = data["training_constraints"].sort_values("constraint_id", kind="stable")
    if not include_interpretations:
        rows = rows[rows["encoded"].astype(bool)]
    return rows


def enumerate_allocations(data, include_interpretations=False):
    """Every Figure 3.2 / Figure 3.3 consistent with the book's statements (see module docstring).

    ``data`` is a validated :class:`~nhsreport.data.load.Dataset`. With ``include_interpretations``
    the rows whose ``encoded`` is false (readings of vague words) are added to the exact ones.
    """
    n = margins(data)
    constraints = minimal_constraints(data, n, include_interpretations)
    return Allocations(tuple(k.constraint_id for k in constraints), n, stored_minimal_tables(constraints, n))


def minimal_constraints(data, n, include_interpretations=False):
    """The constraint rows in force as integer linear constraints on the minimal table."""
    rows = constraint_rows(data, include_interpretations)
    return [minimal_constraint(row, data, n) for _, row in rows.iterrows()]


def stored_minimal_tables(constraints, n):
    """:func:`feasible_minimal_tables`, cached under the hash of the constraints, the sizes and the
    code: the training chapter finds them, the appendix reuses them (and skips importing scipy)."""
    parts = cache.array_parts(n)
    for k in constraints:
        parts += [*cache.array_parts(k.weights), k.offset, k.operator]
    digest = cache.key(*parts, *cache.code_of(sys.modules[__name__], "numpy", "scipy"))
    tables = cache.stored(
        "training-minimal-tables", digest, lambda: feasible_minimal_tables(constraints, n).tolist()
    )
    return np.array(tables, dtype=np.int64).reshape(-1, 3, 3)


# --- for the chapter -----------------------------------------------------------------------------
def witness_allocation(result, index=0):
    """One allocation that meets the constraints (minimal table ``index``; the rest all 'some').

    Only for checking: it is one of very many, not the data.
    """
    m = result.minimal_tables[index]
    allocation = {}
    for i, t in enumerate(trust_codes()):
        for j, c in enumerate(cohort_codes()):
            allocation[(t, c, "minimal")] = int(m[i, j])
            allocation[(t, c, "some")] = int(result.n[i, j] - m[i, j])
            allocation[(t, c, "substantial")] = 0
    return allocation


# --- tables and figures for the chapter ------------------------------------------------------------
CHARTS = {
    "3.2": "the book's Figure 3.2 (by trust)",
    "3.3": "the book's Figure 3.3 (by group)",
    "both": "both charts",
}


def statements_table(constraints):
    """The book's statements as a reader sees them: one row per statement (a statement encoded as
    two checks appears once), in our words, with its page, the chart it bears on and whether it is
    used exactly or as our reading of vague words. No ids or check expressions: those stay in the
    data package and the appendix."""
    frame = constraints.sort_values("constraint_id", kind="stable")
    frame = frame.drop_duplicates("paraphrase", keep="first")
    return pd.DataFrame(
        {
            "What the book says (our words)": frame["paraphrase"],
            "Page": frame["page"].astype(int),
            "Bears on": [CHARTS[f] for f in frame["figure"]],
            "Used as": [
                "exact statement" if e else "our reading of vague words or an assumption"
                for e in frame["encoded"].astype(bool)
            ],
        }
    ).reset_index(drop=True)


def range_text(low, high):
    """A count where it is fixed, otherwise its range ('3' or '0–18')."""
    return f"{low}" if low == high else f"{low}–{high}"


def bounds_summary_table(encoded, interpreted, group_labels):
    """One row per bar group of the two unprinted charts, one column per level: the possible
    counts from the exact statements, and in brackets once the vague statements are read as
    recorded."""
    keys = ["figure", "group", "level"]
    both = encoded.merge(interpreted, on=keys, suffixes=("", "_i")).set_index(keys)
    rows = []
    for figure in ("3.2", "3.3"):
        for group in figure_groups(figure):
            row = {"Chart": CHARTS[figure], "Group": group_labels[group]}
            for level in LEVELS:
                cell = both.loc[(figure, group, level)]
                exact = range_text(int(cell["low"]), int(cell["high"]))
                read = range_text(int(cell["low_i"]), int(cell["high_i"]))
                row[level.capitalize()] = exact if read == exact else f"{exact} ({read})"
            rows.append(row)
    return pd.DataFrame(rows)


def bounds_values(encoded, interpreted, figure, group_labels, group_column):
    """The tidy table one unprinted figure is drawn from: one row per group and level, with the
    lowest and highest count the exact statements allow (``low``, ``high``) and the range left once
    the vague statements are read as in the constraints file (``low as read``, ``high as read``).
    A determined count has ``low == high``."""
    keys = ["group", "level"]
    exact = encoded[encoded["figure"] == figure].set_index(keys)
    read = interpreted[interpreted["figure"] == figure].set_index(keys)
    rows = [
        {
            group_column: group_labels[group],
            "training level": level,
            "low": int(exact.loc[(group, level), "low"]),
            "high": int(exact.loc[(group, level), "high"]),
            "low as read": int(read.loc[(group, level), "low"]),
            "high as read": int(read.loc[(group, level), "high"]),
        }
        for group in figure_groups(figure)
        for level in LEVELS
    ]
    return pd.DataFrame(rows)
