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


def partner(values, suppressed, line):
    """Index (in ``line``) of the cell to suppress beside a lone suppressed one: the smallest
    non-zero value not yet suppressed, else a zero; None if the line has no other cell."""
    free = [i for i in line if not suppressed[i]]
    if not free:
        return None
    return min(free, key=lambda i: (values[i] == 0, values[i], i))


def published_lines(values, min_cell):
    """The rows and columns whose totals are published: a total of 1 to ``min_cell - 1`` is itself
    a small count, so it is not (see :func:`nhsreport.replication.disclosure.publishable`)."""
    n_rows, n_columns = values.shape
    rows = [[(r, c) for c in range(n_columns)] for r in range(n_rows)]
    columns = [[(r, c) for r in range(n_rows)] for c in range(n_columns)]
    return [
        (line, total)
        for line, total in zip(rows + columns, [*values.sum(axis=1), *values.sum(axis=0)])
        if publishable(total, min_cell)
    ]


def publishable(total, min_cell):
    """A total may be shown: zero, or at least the threshold."""
    return total == 0 or total >= min_cell


def secondary(values, suppressed, min_cell):
    """Suppress partners until no published row or column of the 2-D ``values`` holds exactly one
    suppressed cell."""
    suppressed = suppressed.copy()
    lines = [line for line, _ in published_lines(values, min_cell)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(suppressed[i] for i in line) == 1:
                chosen = partner(values, suppressed, line)
                if chosen is not None:
                    suppressed[chosen] = True
                    changed = True
    return suppressed


AUDITED_CELLS = 200  # tables with more suppressed cells rely on the line rule alone (LP cost)


def audited(values, first, final, min_cell):
    """Run the interval attack and, while it pins a cell, suppress one more cell beside it (the
    smallest free non-zero one of its column, else of its row); then restore the line rule."""
    while 0 < final.sum() <= AUDITED_CELLS:
        pinned = pinned_cells(values, final, min_cell)
        if not pinned:
            break
        r, c = pinned[0]
        n_rows, n_columns = values.shape
        for line in ([(i, c) for i in range(n_rows)], [(r, j) for j in range(n_columns)]):
            chosen = partner(values, final, line)
            if chosen is not None:
                final[chosen] = True
                break
        else:
            break
        final = secondary(values, final, min_cell)
    return final


def pinned_cells(values, hidden, min_cell):
    return [
        cell for cell, (low, high) in attack(values, hidden, min_cell).items() if pinned(low, high, min_cell)
    ]


def pinned(low, high, min_cell):
    """The attacker learns the value, or that it is a small non-zero count."""
    return high - low < 1 or (low >= 1 and high < min_cell)


def protect_counts(table, min_cell):
    rows, column = matrix_keys(table)
    wide = as_matrix(table)
    values = wide.to_numpy()
    first = primary_mask(values, min_cell)
    final = secondary(values, first, min_cell)
    final = audited(values, first, final, min_cell)
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


def protect(tables, min_cell=5):
    """The tables with a ``suppressed`` column; suppressed values are emptied (see the module
    docstring for the rules). ``min_cell`` 0 or 1 turns suppression off (nothing is below it)."""
    protected = {}
    for name, table in tables.items():
        protected[name] = (
            protect_means(table, min_cell) if name == "tenure" else protect_counts(table, min_cell)
        )
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


def interval_attack(original, protected, min_cell):
    """For each suppressed cell of a protected count table, (low, high, value): the smallest and
    largest value it can take given everything published (the other cells, the row and column
    totals that may be shown, the grand total, values >= 0), by linear programming."""
    values = as_matrix(original).to_numpy().astype(float)
    hidden = as_matrix(protected.assign(count=protected["suppressed"].astype(int))).to_numpy() > 0
    return {cell: (low, high, values[cell]) for cell, (low, high) in attack(values, hidden, min_cell).items()}


def attack(values, hidden, min_cell):
    """{cell: (low, high)} for each hidden cell of the 2-D ``values`` (see interval_attack)."""
    from scipy.optimize import linprog

    values = values.astype(float)
    cells = list(zip(*np.nonzero(hidden)))
    if not cells:
        return {}
    position = {cell: k for k, cell in enumerate(cells)}
    everything = [(r, c) for r in range(values.shape[0]) for c in range(values.shape[1])]
    equalities, targets = [], []
    for line, total in [*published_lines(values, min_cell), (everything, values.sum())]:
        unknown = [position[i] for i in line if hidden[i]]
        if unknown:
            row = np.zeros(len(cells))
            row[unknown] = 1
            equalities.append(row)
            targets.append(total - sum(values[i] for i in line if not hidden[i]))
    bounds = [(0, None)] * len(cells)
    intervals = {}
    for k, cell in enumerate(cells):
        objective = np.zeros(len(cells))
        objective[k] = 1
        low = linprog(objective, A_eq=np.array(equalities), b_eq=targets, bounds=bounds).fun
        high = -linprog(-objective, A_eq=np.array(equalities), b_eq=targets, bounds=bounds).fun
        intervals[(int(cell[0]), int(cell[1]))] = (round(low, 6), round(high, 6))
    return intervals


def attack_findings(original, protected, min_cell):
    """The suppressed cells the attack pins: to one value, or inside 1 .. min_cell - 1."""
    found = interval_attack(original, protected, min_cell).items()
    return [(cell, low, high) for cell, (low, high, _) in found if pinned(low, high, min_cell)]
