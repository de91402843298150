"""Disclosure control of the replication tables, on by default.

Rules (``min_cell`` is 5 unless ``MIN_CELL=`` says otherwise):

1. **Threshold (primary suppression).** Every count from 1 to ``min_cell - 1`` is suppressed, and
   so is every mean over fewer than ``min_cell`` respondents (its ``n`` too). Zeros are not
   suppressed for themselves: a zero names nobody, and every organisation x category combination
   is published, so hiding zeros would hide the table's shape, not a person. A zero may still be
   suppressed as a partner (rule 2), where it costs nothing.
2. **Secondary suppression.** The tables are published with their totals: for a table of
   organisation x category (or organisation and group x category), the total of each row, of each
   column and of the whole table, except a row or column total from 1 to ``min_cell - 1``, a small
   count itself, which may not be shown (:func:`publishable`; the book must show such a total
   suppressed too). A published line holding exactly one suppressed cell would
   give it away (total minus the others), so a second cell of that line is suppressed, the smallest
   one not yet suppressed (a non-zero one first: it widens the interval an attacker can infer),
   until no line holds exactly one. Means: the mean of a measure over the whole sample may be
   published, so a measure with exactly one suppressed organisation gets a second one (the
   smallest ``n``).
3. **Check.** :func:`audited` attacks each table (up to ``AUDITED_CELLS`` suppressed cells) and
   suppresses one more cell beside any it can pin, until none is pinned; the test suite attacks every protected table by linear programming
   (:func:`interval_attack`, scipy's ``linprog``): for each suppressed cell, the smallest and largest
   values consistent with everything published (the other cells, the row, column and grand
   totals, non-negativity). The interval must be wider than one value, and must not show that the
   cell is a small non-zero count (it may not lie inside 1 to ``min_cell - 1``).

No respondent-level value or id is in these tables, and none is logged.

ACRO (the SACRO project's output checker, ``acro`` 1.0.2 on PyPI) was evaluated: installed with
``--no-deps`` beside the project's pandas 3.1.1 (plus statsmodels, patsy, rdflib, lxml, openpyxl,
isodate, which it imports), its ``crosstab`` with suppression runs. Configured with
``safe_threshold: 5`` and ``zeros_are_disclosive: False`` it suppressed exactly the cells rule 1
suppresses on 20 random organisation x background tables (714 of 714 cells agreed). It was not
made a dependency: it offers primary suppression only (rule 2 is needed anyway), it declares
pandas <= 2.3.3, it brings six packages for one comparison, and with zeros not disclosive it
shows a suppressed cell as 0, indistinguishable from a true zero (this kit empties the value and
sets ``suppressed``). Its threshold rule is the one applied here.
"""

import numpy as np
import pandas as pd

from .aggregate import COUNT_TABLES

METHODS = """\
Disclosure control. Every count from 1 to {low} was suppressed (threshold {min_cell}), and every
mean over fewer than {min_cell} respondents, with its number of respondents. Zeros are shown: a
zero names nobody. Because the tables are published with their row, column and grand totals
(a total from 1 to {low} is itself suppressed), a row or column holding a single suppressed value would give it away, so a second value in that
row or column was suppressed as well (secondary suppression), and likewise a second organisation's
mean where only one mean of a measure was suppressed. The project's tests check every suppressed
value with an interval attack: linear programming finds the smallest and largest value consistent
with everything published, and that interval must be wider than one value and must not reveal a
small non-zero count.

The threshold rule is the one applied by ACRO (the SACRO project's output checker, used by UK
trusted research environments): a cell is disclosive if fewer than the threshold number of
respondents contribute to it. ACRO 1.0.2 was tried with the project's pandas and its crosstab
suppression ran, but it was not made a dependency: it declares pandas 2.3.3 or older, would bring
statsmodels, rdflib, lxml, openpyxl and patsy for a single comparison, and suppresses primary
cells only, whereas this kit must also apply secondary suppression. Unlike ACRO's default,
zeros are not treated as disclosive (see above).
"""


def methods(min_cell=5):
    """:data:`METHODS` with the threshold in force."""
    return METHODS.format(low=min_cell - 1, min_cell=min_cell)


VALUE = {name: "count" for name in COUNT_TABLES} | {"tenure": "mean_years"}


def matrix_keys(table):
    """(row keys, column key) of a count table seen as a two-way table: the last category is the
    column, organisation (and group, if any) the row."""
    keys = [c for c in table.columns if c not in ("count", "suppressed")]
    return keys[:-1], keys[-1]


def as_matrix(table):
    rows, column = matrix_keys(table)
    return table.pivot_table(
        index=rows, columns=column, values="count", aggfunc="sum", observed=False, sort=False
    )


def primary_mask(values, min_cell):
    return (values > 0) & (values < min_cell)


def known_zeros(values, min_cell, extra=()):
    """Cells in a published line whose total is 0: everyone can tell they are 0, so suppressing
    one protects nothing."""
    known = np.zeros(values.shape, dtype=bool)
    for line, total in published_lines(values, min_cell, extra):
        if total == 0:
            for i in line:
                known[i] = True
    return known


def partner(values, suppressed, line, known=None):
    """Index (in ``line``) of the cell to suppress beside a lone suppressed one: the smallest
    non-zero value not yet suppressed, else a zero that is not known to be 0; None if none."""
    free = [i for i in line if not suppressed[i] and (known is None or not known[i])]
    if not free:
        return None
    return min(free, key=lambda i: (values[i] == 0, values[i], i))


def published_lines(values, min_cell, extra=()):
    """The rows and columns whose totals are published: a total of 1 to ``min_cell - 1`` is itself
    a small count, so it is not (see :func:`nhsreport.replication.disclosure.publishable`).
    ``extra``: more lines (lists of cells) whose totals another published table shows."""
    n_rows, n_columns = values.shape
    rows = [[(r, c) for c in range(n_columns)] for r in range(n_rows)]
    columns = [[(r, c) for r in range(n_rows)] for c in range(n_columns)]
    lines = [
        (line, total)
        for line, total in zip(rows + columns, [*values.sum(axis=1), *values.sum(axis=0)])
        if publishable(total, min_cell)
    ]
    return lines + [(line, sum(values[i] for i in line)) for line in extra]


def publishable(total, min_cell):
    """A total may be shown: zero, or at least the threshold."""
    return total == 0 or total >= min_cell


def secondary(values, suppressed, min_cell, extra=()):
    """Suppress partners until no published row or column of the 2-D ``values`` (nor ``extra``
    line) holds exactly one suppressed cell."""
    suppressed = suppressed.copy()
    lines = [line for line, _ in published_lines(values, min_cell, extra)]
    known = known_zeros(values, min_cell, extra)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(suppressed[i] for i in line) == 1:
                chosen = partner(values, suppressed, line, known)
                if chosen is not None:
                    suppressed[chosen] = True
                    changed = True
    return suppressed


AUDITED_CELLS = 200  # tables with more suppressed cells rely on the line rule alone (LP cost)


def audited(values, first, final, min_cell, extra=()):
    """Run the interval attack and, while it pins a cell, suppress one more cell beside it (the
    smallest free non-zero one of its column, else of its row); then restore the line rule."""
    known = known_zeros(values, min_cell, extra)
    while 0 < final.sum() <= AUDITED_CELLS:
        pinned = pinned_cells(values, final, min_cell, extra)
        if not pinned:
            break
        r, c = pinned[0]
        n_rows, n_columns = values.shape
        for line in ([(i, c) for i in range(n_rows)], [(r, j) for j in range(n_columns)]):
            chosen = partner(values, final, line, known)
            if chosen is not None:
                final[chosen] = True
                break
        else:
            break
        final = secondary(values, final, min_cell, extra)
    return final


def pinned_cells(values, hidden, min_cell, extra=()):
    """The first cell the attack pins, in a list (the repair adds one cell at a time)."""
    cell = first_pinned(values, hidden, min_cell, extra)
    return [] if cell is None else [cell]


def pinned(low, high, min_cell):
    """The attacker learns the value, or that it is a small non-zero count."""
    return high - low < 1 or (low >= 1 and high < min_cell)


def protect_counts(table, min_cell, coarser=()):
    rows, column = matrix_keys(table)
    wide = as_matrix(table)
    values = wide.to_numpy()
    extra, parts_of_hidden = coarser_lines(wide, coarser)
    first = primary_mask(values, min_cell)
    final = secondary(values, first | forced(values, first, parts_of_hidden), min_cell, extra)
    final = audited(values, first, final, min_cell, extra)
    reason = np.where(first, "threshold", np.where(final, "secondary", ""))
    flags = (
        pd.DataFrame(reason, index=wide.index, columns=wide.columns).stack(future_stack=True).rename("reason")
    )
    out = table.drop(columns="suppressed", errors="ignore").merge(
        flags.reset_index(), on=[*rows, column], how="left"
    )
    out["suppressed"] = out["reason"] != ""
    out["count"] = out["count"].astype("Int64").mask(out["suppressed"])
    out.attrs["reasons"] = list(out.pop("reason"))
    return out


def coarser_lines(wide, coarser):
    """Lines of ``wide``'s cells that add up to a cell of a coarser protected table: (the lines
    whose coarser cell is published, the lines whose coarser cell is suppressed).

    ``coarser`` holds (protected coarser table, {organisation: its coarser organisation}): the
    coarser table has the same columns, its ``organisation`` being a group (a type, or all)."""
    published, hidden = [], []
    columns = list(wide.columns)
    index = [key if isinstance(key, tuple) else (key,) for key in wide.index]
    for table, parent_of in coarser:
        rows, column = matrix_keys(table)
        members = {}
        for r, key in enumerate(index):
            members.setdefault((parent_of[key[0]], *key[1:]), []).append(r)
        for record in table.to_dict("records"):
            key = tuple(record[k] for k in rows)
            line = [(r, columns.index(record[column])) for r in members.get(key, [])]
            (hidden if record["suppressed"] else published).append(line)
    return published, hidden


def forced(values, first, parts_of_hidden):
    """A cell suppressed in a coarser table must not be the sum of published cells here: where
    all its parts would be published, the smallest non-zero part is suppressed."""
    force = np.zeros_like(first)
    for line in parts_of_hidden:
        if line and not any(first[i] or force[i] for i in line):
            chosen = partner(values, first | force, line)
            if chosen is not None:
                force[chosen] = True
    return force


def protect_means(table, min_cell):
    out = table.drop(columns="suppressed", errors="ignore").copy()
    first = (out["n"] < min_cell) & (out["n"] > 0)
    final = first.copy()
    for _, measure in out.groupby("measure", sort=False):
        if first[measure.index].sum() == 1:
            free = measure[~first[measure.index] & (measure["n"] > 0)]
            if len(free):
                final[free["n"].idxmin()] = True
    out["suppressed"] = final
    out["mean_years"] = out["mean_years"].mask(final)
    out["n"] = out["n"].astype("Int64").mask(final)
    out.attrs["reasons"] = list(np.where(first, "threshold", np.where(final, "secondary", "")))
    return out


def protect(tables, min_cell=5, coarser=()):
    """The tables with a ``suppressed`` column; suppressed values are emptied (see the module
    docstring for the rules). ``min_cell`` 0 or 1 turns suppression off (nothing is below it).

    ``coarser``: (already protected tables of a coarser level, {organisation: its group there})
    pairs, for tables published at several levels (see :func:`protect_levels`)."""
    protected = {}
    for name, table in tables.items():
        if name == "tenure":
            protected[name] = protect_means(table, min_cell)
        else:
            linked = [(tables_[name], parent_of) for tables_, parent_of in coarser]
            protected[name] = protect_counts(table, min_cell, linked)
    return protected


def protect_levels(levels, parents, min_cell=5):
    """Tables published at nested levels, protected together, coarsest first, so that no
    suppressed value can be recovered by setting one level beside another.

    ``levels``: {level: tables} from the coarsest (e.g. the whole sample) to the finest (by
    organisation); ``parents``: {level: {organisation: its group at each coarser level, as
    {coarser level: group}}} for every level but the first. Returns {level: protected tables}."""
    protected = {}
    for level, tables in levels.items():
        coarser = [
            (protected[up], {o: groups[up] for o, groups in parents.get(level, {}).items()})
            for up in protected
        ]
        protected[level] = protect(tables, min_cell, coarser)
    return protected


def suppression_report(tables):
    """What was suppressed and why, counts only: table, rule, cells, of (cells in the table)."""
    rows = []
    for name, table in tables.items():
        reasons = pd.Series(table.attrs.get("reasons", [""] * len(table)))
        for rule, why in (
            ("threshold", "a count from 1 to the threshold minus 1, or a mean over fewer respondents"),
            ("secondary", "suppressed so that a suppressed value cannot be recovered from the totals"),
        ):
            rows.append(
                {
                    "table": name,
                    "rule": rule,
                    "why": why,
                    "cells": int((reasons == rule).sum()),
                    "of": len(table),
                }
            )
    return pd.DataFrame(rows, columns=["table", "rule", "why", "cells", "of"])


def write_table(table, path):
    """One protected table as CSV: ``suppressed`` written true/false, suppressed values empty."""
    out = table.copy()
    out["suppressed"] = out["suppressed"].map({True: "true", False: "false"})
    out.to_csv(path, index=False, lineterminator="\n")


# --- the attack the tests run ------------------------------------------------------------------


def interval_attack(original, protected, min_cell, coarser=()):
    """For each suppressed cell of a protected count table, (low, high, value): the smallest and
    largest value it can take given everything published (the other cells, the row and column
    totals that may be shown, the grand total, values >= 0), by linear programming."""
    wide = as_matrix(original)
    values = wide.to_numpy().astype(float)
    hidden = as_matrix(protected.assign(count=protected["suppressed"].astype(int))).to_numpy() > 0
    extra, _ = coarser_lines(wide, coarser)
    found = attack(values, hidden, min_cell, extra)
    return {cell: (low, high, values[cell]) for cell, (low, high) in found.items()}


def attack(values, hidden, min_cell, extra=()):
    """{cell: (low, high)} for each hidden cell of the 2-D ``values`` (see interval_attack)."""
    return dict(attacked_cells(values, hidden, min_cell, extra))


def attack_problem(values, hidden, min_cell, extra):
    """The hidden cells and the equalities an attacker has on them: (cells, A, b)."""
    values = values.astype(float)
    cells = list(zip(*np.nonzero(hidden)))
    position = {cell: k for k, cell in enumerate(cells)}
    everything = [(r, c) for r in range(values.shape[0]) for c in range(values.shape[1])]
    equalities, targets = [], []
    for line, total in [*published_lines(values, min_cell, extra), (everything, values.sum())]:
        unknown = [position[i] for i in line if hidden[i]]
        if unknown:
            row = np.zeros(len(cells))
            row[unknown] = 1
            equalities.append(row)
            targets.append(total - sum(values[i] for i in line if not hidden[i]))
    return cells, np.array(equalities), np.array(targets)


def extreme(A, b, k, sign):
    """The smallest (sign 1) or largest (sign -1) value of unknown k, and the point reaching it."""
    from scipy.optimize import linprog

    objective = np.zeros(A.shape[1])
    objective[k] = sign
    result = linprog(objective, A_eq=A, b_eq=b, bounds=[(0, None)] * A.shape[1])
    return sign * result.fun, result.x


def attacked_cells(values, hidden, min_cell, extra):
    cells, A, b = attack_problem(values, hidden, min_cell, extra)
    for k, cell in enumerate(cells):
        low, high = extreme(A, b, k, 1)[0], extreme(A, b, k, -1)[0]
        yield (int(cell[0]), int(cell[1])), (round(low, 6), round(high, 6))


def first_pinned(values, hidden, min_cell, extra=()):
    """The first hidden cell the attack pins, or None. Every point an LP returns is feasible, so
    the range of values seen so far bounds each cell's interval from inside: a cell already seen
    to move by 1 or more, through 0 or up to the threshold, is safe without its own LPs."""
    cells, A, b = attack_problem(values, hidden, min_cell, extra)
    if not cells:
        return None
    seen_low, seen_high = np.full(len(cells), np.inf), np.full(len(cells), -np.inf)

    def see(point):
        np.minimum(seen_low, point, out=seen_low)
        np.maximum(seen_high, point, out=seen_high)

    for k, cell in enumerate(cells):
        if not pinned(round(seen_low[k], 6), round(seen_high[k], 6), min_cell):
            continue
        low, point = extreme(A, b, k, 1)
        see(point)
        high, point = extreme(A, b, k, -1)
        see(point)
        if pinned(round(low, 6), round(high, 6), min_cell):
            return (int(cell[0]), int(cell[1]))
    return None


def attack_findings(original, protected, min_cell):
    """The suppressed cells the attack pins: to one value, or inside 1 .. min_cell - 1."""
    found = interval_attack(original, protected, min_cell).items()
    return [(cell, low, high) for cell, (low, high, _) in found if pinned(low, high, min_cell)]
