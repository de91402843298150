"""Disclosure control of the replication tables, on by default, across all tables at once.

What is published (:mod:`nhsreport.replication.book`): the six tables at three nested levels
(organisations, organisation types, the whole sample), the number of respondents, and the whole
sample's row totals (``n``, each one a published or suppressed cell of ``sample``). Everything an
attacker can derive is linear in the cells, so protection treats every count of the five count
tables at every level as one set of cells tied by the equations an attacker knows
(:func:`count_equations`):

* nesting: a type's cell is the sum of its organisations' cells, the whole sample's the sum of all;
* shared margins: ``sample``'s (unit, group) count is the row total of the ``sex``, ``training``
  and ``clinical_backgrounds`` rows of that unit and group, and a unit's ``sample`` counts add up
  to its ``age`` counts;
* each table adds up to the published number of respondents.

Rules (``min_cell`` is 5 unless ``MIN_CELL=`` says otherwise):

1. **Threshold (primary suppression).** Every count from 1 to ``min_cell - 1`` is suppressed, and
   every mean over fewer than ``min_cell`` respondents (its ``n`` too). Zeros are published: a zero
   names nobody.
2. **Secondary suppression.** An equation holding exactly one suppressed cell would give it away,
   so a partner in it is suppressed (the smallest non-zero cell), until no equation holds one
   (:func:`line_rule`). That is necessary, not sufficient: several equations together can still
   pin a cell.
3. **The interval attack** (:func:`pinned_cells`): for each suppressed cell, linear programming
   (scipy's ``linprog``) finds the smallest and largest value consistent with everything
   published (all equations, every published cell, values >= 0). A cell is *pinned* when that
   interval is narrower than one value, or lies inside 1 to ``min_cell - 1`` (it is then known
   to be a small count). A pinned threshold cell gets one more partner; a pinned secondary cell is
   published again (its value is known anyway, so publishing it tells nothing). Repeated until
   nothing is pinned (:func:`protected_cells`).
4. **Smallest protecting set.** Rules 2 and 3 may suppress more than needed, so each secondary cell,
   largest first, is published again if the attack then pins no threshold cell
   (:func:`pruned`): every secondary suppression left is necessary (in a group with more than
   ``PRUNE_ROUNDS`` secondary cells, the smallest ones are left untried).
5. **Means** (``tenure``): the same, on each measure's respondents with a value (``n``) and its sum
   of years (mean times ``n``), tied by nesting. A suppressed mean must keep a feasible range of at
   least ``MEAN_WIDTH`` years (:func:`mean_range`, linear-fractional programming), and its ``n``
   must not be pinned as a count.

Bounds on the linear programs: the attack works on connected groups of suppressed cells (cells
that share no equation, directly or through other suppressed cells, cannot inform one another:
the published cells are constants). A group larger than ``AUDITED_CELLS`` (many organisations,
each with small counts, tied through their type and whole-sample cells) is protected by the line
rule alone, and rule 4 is skipped for it; :func:`protect_levels` records that in
``attrs["unaudited"]``.

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
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from .aggregate import COUNT_TABLES

METHODS = """\
Disclosure control. Every count from 1 to {low} was suppressed (threshold {min_cell}), and every
mean over fewer than {min_cell} respondents, with its number of respondents. Zeros are shown: a
zero names nobody.

The tables are published together, by organisation, by organisation type and for the whole sample,
and they share totals: a group's count is the total of its row in the sex, training and clinical
background tables, an organisation type's counts are the sums of its organisations' counts, and
so on. Someone could combine all of these to work out a suppressed value, so other values were
suppressed as well (secondary suppression), chosen together across all tables and levels. For
every suppressed value, linear programming found the smallest and largest value consistent with
everything published; more values were suppressed until that range was wider than one value and
did not show a small count, and a suppressed mean's range was at least {mean_width:g} year wide.
Then each secondary suppression was tried without: it was kept only if, without it, some value
suppressed by the threshold could be worked out. No more was hidden than that.

The threshold rule is the one applied by ACRO (the SACRO project's output checker, used by UK
trusted research environments): a cell is disclosive if fewer than the threshold number of
respondents contribute to it. ACRO 1.0.2 was tried with the project's pandas and its crosstab
suppression ran, but it was not made a dependency: it declares pandas 2.3.3 or older, would bring
statsmodels, rdflib, lxml, openpyxl and patsy for a single comparison, and suppresses primary
cells only, whereas this kit must also apply secondary suppression. Unlike ACRO's default,
zeros are not treated as disclosive (see above).
"""

#: A suppressed mean's feasible range must be at least this many years wide.
MEAN_WIDTH = 1.0
#: The schema's largest number of years (respondents.schema.json): bounds a mean for the attack.
MAX_YEARS = 70.0
#: Connected groups of suppressed cells larger than this rely on the line rule alone (LP cost).
AUDITED_CELLS = 400
#: Rule 4 tries at most this many cells per group, largest first (each try is an attack).
PRUNE_ROUNDS = 100
ROUND = 6  # decimals: LP results are floating point

VALUE = {name: "count" for name in COUNT_TABLES} | {"tenure": "mean_years"}

#: (table, its column that the ``sample`` table's (unit, cohort) count is the row total of)
SAMPLE_SPLITS = ("sex", "training", "clinical_backgrounds")


def methods(min_cell=5):
    """:data:`METHODS` with the threshold in force."""
    return METHODS.format(low=min_cell - 1, min_cell=min_cell, mean_width=MEAN_WIDTH)


# --- the cells and the equations an attacker knows ------------------------------------------------


def key_columns(table):
    return [c for c in table.columns if c not in ("count", "suppressed", "mean_years", "n")]


class Cells:
    """Every row of the given tables at every level as one numbered cell: ``index[(level, name)]``
    maps a row's key (a tuple of its key columns) to its cell number."""

    def __init__(self, levels, names):
        self.index, self.rows, start = {}, [], 0
        for level, tables in levels.items():
            for name in names:
                if name in tables:
                    table = tables[name]
                    keys = [tuple(k) for k in table[key_columns(table)].itertuples(index=False)]
                    self.index[(level, name)] = dict(zip(keys, range(start, start + len(keys))))
                    self.rows.append((level, name, start, len(keys)))
                    start += len(keys)
        self.size = start

    def column(self, levels, column):
        out = np.zeros(self.size)
        for level, name, start, length in self.rows:
            out[start : start + length] = levels[level][name][column].to_numpy(dtype=float, na_value=0)
        return out

    def split(self, mask):
        """{(level, name): its part of the per-cell array ``mask``}."""
        return {(level, name): mask[start : start + length] for level, name, start, length in self.rows}


def nesting_equations(cells, levels, parents, names):
    """A coarser unit's cell minus the cells of its members (same categories) is 0."""
    equations = []
    for level in levels:
        for up in sorted({u for groups in parents.get(level, {}).values() for u in groups}):
            for name in names:
                if (level, name) not in cells.index or (up, name) not in cells.index:
                    continue
                members = {}
                for key, cell in cells.index[(level, name)].items():
                    members.setdefault((parents[level][key[0]][up], *key[1:]), []).append(cell)
                for key, cell in cells.index[(up, name)].items():
                    equations.append(
                        ([cell, *members.get(key, [])], [1] + [-1] * len(members.get(key, [])), 0)
                    )
    return equations


def margin_equations(cells, levels):
    """At each level: ``sample``'s (unit, group) cell is the total of that row of each split
    table, and a unit's ``sample`` cells add up to its ``age`` cells."""
    equations = []
    for level in levels:
        sample = cells.index.get((level, "sample"))
        if sample is None:
            continue
        for name in SAMPLE_SPLITS:
            split = cells.index.get((level, name))
            if split is None:
                continue
            rows = {}
            for key, cell in split.items():
                rows.setdefault(key[:2], []).append(cell)
            for key, cell in sample.items():
                equations.append(([cell, *rows[key]], [1] + [-1] * len(rows[key]), 0))
        age = cells.index.get((level, "age"))
        if age is not None:
            units = {}
            for key, cell in sample.items():
                units.setdefault(key[0], ([], []))[0].append(cell)
            for key, cell in age.items():
                units[key[0]][1].append(cell)
            for ours, theirs in units.values():
                equations.append(([*ours, *theirs], [1] * len(ours) + [-1] * len(theirs), 0))
    return equations


def total_equations(cells, values):
    """Each table at each level adds up to the number of respondents (published)."""
    return [
        (list(range(start, start + length)), [1] * length, values[start : start + length].sum())
        for _, _, start, length in cells.rows
    ]


def as_matrix(equations, size):
    """(sparse matrix of the equations' coefficients, their right-hand sides)."""
    rows, columns, data = [], [], []
    for r, (cells, coefficients, _) in enumerate(equations):
        rows += [r] * len(cells)
        columns += list(cells)
        data += list(coefficients)
    matrix = sparse.csr_matrix((data, (rows, columns)), shape=(len(equations), size), dtype=float)
    return matrix, np.array([total for _, _, total in equations], dtype=float)


# --- the attack -----------------------------------------------------------------------------------


def pinned(low, high, min_cell):
    """The attacker learns the count, or that it is a small non-zero count."""
    low, high = round(low, ROUND), round(high, ROUND)
    return high - low < 1 or (low >= 1 and high < min_cell)


def groups(matrix, hidden):
    """The suppressed cells in connected groups: two cells are connected when an equation holds
    both (an equation's published cells are constants, so groups cannot inform one another)."""
    cells = np.flatnonzero(hidden)
    if not len(cells):
        return []
    part = matrix[:, cells]
    part = part[part.getnnz(axis=1) > 0]
    linked = (abs(part).T @ abs(part)) if part.shape[0] else sparse.identity(len(cells))
    _, label = connected_components(linked, directed=False)
    return [cells[label == g] for g in range(label.max() + 1)]


def remainders(matrix, totals, values, hidden):
    """Each equation's right-hand side once every published cell is put in."""
    return totals - matrix @ np.where(hidden, 0.0, values)


def problem(matrix, remainder, group):
    """The equations on the cells of ``group``: (A, b)."""
    a = matrix[:, group]
    used = a.getnnz(axis=1) > 0
    return a[used], remainder[used]


def extreme(a, b, k, sign, upper=None):
    """The smallest (sign 1) or largest (sign -1) feasible value of unknown k, and the point."""
    objective = np.zeros(a.shape[1])
    objective[k] = sign
    result = linprog(
        objective, A_eq=a if a.shape[0] else None, b_eq=b if a.shape[0] else None, bounds=(0, upper)
    )
    if result.status == 3:  # unbounded above: no equation caps it
        return np.inf, None
    return sign * result.fun, result.x


def intervals(a, b, min_cell, truth, exact=False):
    """{position in the group: (low, high)}. Unless ``exact``, a shortcut: the true values
    (``truth``) and each LP's point are feasible, so a cell already seen to range over values that
    cannot pin it gets no LP of its own (it is returned with the range seen, inside its true
    interval)."""
    size = a.shape[1]
    seen_low, seen_high = np.array(truth, dtype=float), np.array(truth, dtype=float)
    found = {}
    for k in range(size):
        if not exact and moved(seen_low[k], seen_high[k], min_cell):
            found[k] = (seen_low[k], seen_high[k])
            continue
        (low, point_low), (high, point_high) = extreme(a, b, k, 1), extreme(a, b, k, -1)
        for point in (point_low, point_high):
            if point is not None:
                np.minimum(seen_low, point, out=seen_low)
                np.maximum(seen_high, point, out=seen_high)
        found[k] = (low, high)
    return found


def count_attack(matrix, totals, values, hidden, min_cell, limit=None, exact=False):
    """{cell: (low, high)} for every suppressed cell in a group of at most ``limit`` cells
    (default :data:`AUDITED_CELLS`); and the cells of the larger groups (not attacked)."""
    limit = AUDITED_CELLS if limit is None else limit
    attacked, unaudited = [], []
    for group in groups(matrix, hidden):
        (attacked if len(group) <= limit else unaudited).append(group)
    if not attacked:
        return {}, [int(c) for group in unaudited for c in group]
    cells = np.concatenate(attacked)
    a, b = problem(matrix, remainders(matrix, totals, values, hidden), cells)
    ends = np.cumsum([0, *map(len, attacked)])
    blocks = [list(range(start, end)) for start, end in zip(ends[:-1], ends[1:])]
    found = batched_intervals(a, b, min_cell, values[cells], blocks, exact)
    return {int(cells[k]): interval for k, interval in found.items()}, [
        int(c) for group in unaudited for c in group
    ]


def batched_intervals(a, b, min_cell, truth, blocks, exact=False):
    """As :func:`intervals`, for many groups at once: groups share no equation, so minimising the
    sum of one cell from each group minimises each of them (and likewise maximising); one pair of
    LPs per round serves every group. ``blocks``: each group's positions."""
    seen_low, seen_high = np.array(truth, dtype=float), np.array(truth, dtype=float)
    if not exact:
        spread(a, b, min_cell, seen_low, seen_high)
    queues, found = [list(block) for block in blocks], {}
    while True:
        chosen = []
        for queue in queues:
            while queue:
                k = queue.pop(0)
                if not exact and moved(seen_low[k], seen_high[k], min_cell):
                    found[k] = (seen_low[k], seen_high[k])
                    continue
                chosen.append(k)
                break
        if not chosen:
            return found
        points = [extreme_sum(a, b, chosen, sign) for sign in (1, -1)]
        if any(point is None for point in points):  # unbounded: one cell at a time
            for k in chosen:
                found[k] = (extreme(a, b, k, 1)[0], extreme(a, b, k, -1)[0])
            continue
        for k in chosen:
            found[k] = (points[0][k], points[1][k])
        for point in points:
            np.minimum(seen_low, point, out=seen_low)
            np.maximum(seen_high, point, out=seen_high)


def spread(a, b, min_cell, seen_low, seen_high):
    """Widen the ranges seen cheaply before any cell's own LPs: minimise and maximise the sum of
    all cells not yet seen to move enough, while that frees more of them (each point is feasible,
    and moves many cells at once)."""
    open_ = None
    while True:
        still = [k for k in range(a.shape[1]) if not moved(seen_low[k], seen_high[k], min_cell)]
        if not still or (open_ is not None and len(still) >= open_):
            return
        open_ = len(still)
        for sign in (1, -1):
            point = extreme_sum(a, b, still, sign)
            if point is not None:
                np.minimum(seen_low, point, out=seen_low)
                np.maximum(seen_high, point, out=seen_high)


def moved(low, high, min_cell):
    """Values seen over this range cannot pin the cell."""
    return high > low and not pinned(low, high, min_cell)


def extreme_sum(a, b, chosen, sign):
    """The point minimising (sign 1) or maximising (sign -1) the sum of the ``chosen`` unknowns;
    None if unbounded."""
    objective = np.zeros(a.shape[1])
    objective[chosen] = sign
    result = linprog(
        objective, A_eq=a if a.shape[0] else None, b_eq=b if a.shape[0] else None, bounds=(0, None)
    )
    return None if result.status == 3 else result.x


# --- choosing what to suppress -------------------------------------------------------------------


def partner(values, hidden, cells, spent):
    """The cell of ``cells`` to suppress beside a suppressed one: the smallest non-zero free one
    (it widens the interval most for the least hidden), else a free zero; None if none is free.
    ``spent``: cells whose value is known anyway (suppressing them protects nothing)."""
    free = [c for c in cells if not hidden[c] and not spent[c]]
    if not free:
        return None
    return min(free, key=lambda c: (values[c] == 0, values[c], c))


def line_rule(matrix, values, hidden, spent):
    """Suppress partners until no equation holds exactly one suppressed cell."""
    hidden = hidden.copy()
    while True:
        lone = np.flatnonzero((abs(matrix) @ hidden.astype(float)).round() == 1)
        changed = False
        for row in lone:
            cells = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
            if hidden[cells].sum() != 1:
                continue  # an earlier partner in this pass already fixed it
            chosen = partner(values, hidden, cells, spent)
            if chosen is not None:
                hidden[chosen] = changed = True
        if not changed:
            return hidden


def neighbours(matrix, cell):
    """The cells that share an equation with ``cell``."""
    rows = matrix[:, [cell]].nonzero()[0]
    return np.unique(matrix[rows].nonzero()[1])


def protected_cells(matrix, values, first, attack, spent):
    """Rules 2 and 3: the suppressed cells (a boolean mask) such that ``attack(hidden)`` (the
    pinned suppressed cells) finds none, or as few as the equations allow; and the cells whose
    values are known anyway (``spent``: those known from the start). ``first``: the threshold
    cells. Every pinned threshold cell gets its partner in the same round (the attack is the
    cost; rule 4 removes any partner that turns out not to be needed)."""
    spent = spent.copy()
    hidden = line_rule(matrix, values, first, spent)
    while True:
        found = attack(hidden)
        known = [c for c in found if not first[c]]
        if known:  # a secondary cell the attacker can work out: publishing it tells nothing new
            hidden[known] = False
            spent[known] = True
            continue
        chosen = [partner(values, hidden, neighbours(matrix, cell), spent) for cell in found]
        chosen = [c for c in chosen if c is not None]
        if not chosen:
            return hidden, spent  # nothing pinned, or nothing left to suppress: the tests report it
        hidden[chosen] = True
        hidden = line_rule(matrix, values, hidden, spent)


def lone_cells(matrix, hidden):
    """The suppressed cells that an equation holds alone: each is known from that equation."""
    rows = np.flatnonzero((abs(matrix) @ hidden.astype(float)).round() == 1)
    if not len(rows):
        return rows
    cells = matrix[rows].nonzero()[1]
    return np.unique(cells[hidden[cells]])


def group_numbers(matrix, hidden):
    """{cell: number of its group} for the suppressed cells."""
    return {int(c): g for g, group in enumerate(groups(matrix, hidden)) for c in group}


def undo_failed(trial, hidden, failed, group_of):
    """Put the groups whose trial failed back as they were."""
    for cell, group in group_of.items():
        if group in failed:
            trial[cell] = hidden[cell]


def pruned(matrix, values, first, hidden, attack, audited):
    """Rule 4: publish each secondary cell again (largest first) if, with it published (and any
    cell it then makes known), the attack pins no threshold cell. ``audited``: the cells the
    attack covers.

    Groups share no equation (publishing cells only splits them further), so each round tries one
    cell in every group at once and keeps the groups where no threshold cell fell; at most
    PRUNE_ROUNDS rounds (a group with more secondary cells keeps its smallest ones untried)."""
    hidden = hidden.copy()
    group_of = group_numbers(matrix, hidden)
    queues = {}
    for cell in sorted(np.flatnonzero(hidden & ~first & audited), key=lambda c: (-values[c], c)):
        queues.setdefault(group_of[int(cell)], []).append(int(cell))
    for _ in range(PRUNE_ROUNDS):
        if not queues:
            break
        trial, failed, tried = hidden.copy(), set(), set(queues)
        for queue in queues.values():
            trial[queue.pop(0)] = False
        while len(known := lone_cells(matrix, trial)):  # the cheap half of the attack first
            failed |= {group_of[int(c)] for c in known if first[c]}
            trial[known] = False
        undo_failed(trial, hidden, failed, group_of)
        while len(failed) < len(tried):
            found = attack(trial)
            failed |= {group_of[int(c)] for c in found if first[c]}
            known = [c for c in found if not first[c]]
            if not known:
                break
            trial[known] = False
            undo_failed(trial, hidden, failed, group_of)
        undo_failed(trial, hidden, failed, group_of)
        hidden = trial
        queues = {group: queue for group, queue in queues.items() if queue}
    return hidden


# --- counts ------------------------------------------------------------------------------------


def count_equations(cells, levels, parents, values):
    return (
        nesting_equations(cells, levels, parents, COUNT_TABLES)
        + margin_equations(cells, levels)
        + total_equations(cells, values)
    )


def protect_all_counts(levels, parents, min_cell):
    """{(level, name): (threshold mask, final mask)}, and the cells the attack could not cover."""
    cells = Cells(levels, COUNT_TABLES)
    values = cells.column(levels, "count")
    matrix, totals = as_matrix(count_equations(cells, levels, parents, values), cells.size)
    first = (values > 0) & (values < min_cell)

    def attack(hidden):
        found, _ = count_attack(matrix, totals, values, hidden, min_cell)
        return sorted(c for c, (low, high) in found.items() if pinned(low, high, min_cell))

    hidden, spent = protected_cells(matrix, values, first, attack, np.zeros(cells.size, dtype=bool))
    _, unaudited = count_attack(matrix, totals, values, hidden, min_cell)
    audited = np.ones(cells.size, dtype=bool)
    audited[unaudited] = False
    if not unaudited:
        hidden = pruned(matrix, values, first, hidden, attack, audited)
    return cells.split(first), cells.split(hidden), len(unaudited)


# --- means ---------------------------------------------------------------------------------------


def mean_range(a, b_n, b_s, k):
    """The smallest and largest feasible mean (sum / n) of suppressed unit k, given the equations
    ``a`` on the suppressed n's (right-hand sides ``b_n``) and the same on the sums (``b_s``),
    0 <= sum <= MAX_YEARS * n. Charnes-Cooper: with y = t * (n, sum) and t = 1 / n_k the ratio
    becomes linear."""
    size = a.shape[1]
    zeros = sparse.csr_matrix(a.shape)
    equalities = sparse.vstack(
        [
            sparse.hstack([a, zeros, sparse.csr_matrix(-b_n.reshape(-1, 1))]),
            sparse.hstack([zeros, a, sparse.csr_matrix(-b_s.reshape(-1, 1))]),
            sparse.csr_matrix(([1.0], ([0], [k])), shape=(1, 2 * size + 1)),
        ]
    )
    targets = np.r_[np.zeros(2 * a.shape[0]), 1.0]
    cap = sparse.hstack(
        [-MAX_YEARS * sparse.identity(size), sparse.identity(size), sparse.csr_matrix((size, 1))]
    )
    ends = []
    for sign in (1, -1):
        objective = np.zeros(2 * size + 1)
        objective[size + k] = sign
        result = linprog(
            objective, A_ub=cap, b_ub=np.zeros(size), A_eq=equalities, b_eq=targets, bounds=(0, None)
        )
        ends.append(sign * result.fun)
    return tuple(ends)


def protect_all_means(levels, parents, min_cell):
    """As :func:`protect_all_counts`, for ``tenure``: the n's as counts, and each suppressed mean's
    feasible range at least MEAN_WIDTH years."""
    cells = Cells(levels, ["tenure"])
    n = cells.column(levels, "n")
    sums = cells.column(levels, "mean_years") * n
    matrix, zeros = as_matrix(nesting_equations(cells, levels, parents, ["tenure"]), cells.size)
    first = (n > 0) & (n < min_cell)

    def attack(hidden):
        found = []
        remainder_n, remainder_s = (
            remainders(matrix, zeros, n, hidden),
            remainders(matrix, zeros, sums, hidden),
        )
        for group in groups(matrix, hidden):
            if len(group) > AUDITED_CELLS:
                continue
            a, b_n = problem(matrix, remainder_n, group)
            _, b_s = problem(matrix, remainder_s, group)
            for k, (low, high) in intervals(a, b_n, min_cell, n[group]).items():
                mean_low, mean_high = mean_range(a, b_n, b_s, k)
                if pinned(low, high, min_cell) or mean_high - mean_low < MEAN_WIDTH:
                    found.append(int(group[k]))
        return sorted(found)

    # a unit with no value (n = 0) has no mean to protect and none to hide behind
    hidden, spent = protected_cells(matrix, n, first, attack, spent=n == 0)
    audited = np.ones(cells.size, dtype=bool)
    hidden = pruned(matrix, n, first, hidden, attack, audited)
    return cells.split(first), cells.split(hidden)


# --- the tables ----------------------------------------------------------------------------------


def apply(table, first, hidden):
    """``table`` with ``suppressed`` and its suppressed values emptied; the rule of each row in
    ``attrs["reasons"]``."""
    out = table.drop(columns="suppressed", errors="ignore").copy()
    out["suppressed"] = hidden
    for column in ("count", "n"):
        if column in out:
            out[column] = out[column].astype("Int64").mask(out["suppressed"])
    if "mean_years" in out:
        out["mean_years"] = out["mean_years"].mask(out["suppressed"])
    out.attrs["reasons"] = list(np.where(first, "threshold", np.where(hidden, "secondary", "")))
    return out


def protect_levels(levels, parents, min_cell=5):
    """Tables published at nested levels, protected together: no suppressed value can be worked
    out from everything published, across tables and levels (see the module docstring).

    ``levels``: {level: {table name: table}} (any order); ``parents``: {level: {organisation: its
    group at each coarser level, as {coarser level: group}}} for every level but the coarsest.
    Returns {level: protected tables}; each table's ``attrs["unaudited"]`` is the number of
    suppressed cells, over all count tables, that the attack did not cover (see AUDITED_CELLS)."""
    count_first, count_hidden, unaudited = protect_all_counts(levels, parents, min_cell)
    mean_first, mean_hidden = protect_all_means(levels, parents, min_cell)
    first, hidden = count_first | mean_first, count_hidden | mean_hidden
    protected = {}
    for level, tables in levels.items():
        protected[level] = {}
        for name, table in tables.items():
            protected[level][name] = apply(table, first[(level, name)], hidden[(level, name)])
            protected[level][name].attrs["unaudited"] = unaudited
    return protected


def protect(tables, min_cell=5):
    """One level's tables (e.g. by organisation) with a ``suppressed`` column, protected together;
    suppressed values are emptied. ``min_cell`` 0 or 1 turns suppression off."""
    return protect_levels({"only": tables}, {}, min_cell)["only"]


def suppression_report(tables):
    """What was suppressed and why, counts only: table, rule, cells, of (cells in the table)."""
    rows = []
    for name, table in tables.items():
        reasons = pd.Series(table.attrs.get("reasons", [""] * len(table)))
        for rule, why in (
            ("threshold", "a count from 1 to the threshold minus 1, or a mean over fewer respondents"),
            (
                "secondary",
                "suppressed so that no other suppressed value can be worked out from what is shown",
            ),
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


# --- the attack as the tests run it: on the published tables alone -------------------------------


def interval_attack(levels, protected, parents, min_cell):
    """{(level, table, row): (low, high, true value)} for every suppressed count, by linear
    programming over everything published across all count tables and levels (one program,
    no group bound). ``levels``: the tables before protection (to compare); the attacker's
    knowledge is only what ``protected`` shows and the equations."""
    cells = Cells(levels, COUNT_TABLES)
    values = cells.column(levels, "count")
    hidden = cells.column(protected, "suppressed") > 0
    matrix, totals = as_matrix(count_equations(cells, levels, parents, values), cells.size)
    found, _ = count_attack(matrix, totals, values, hidden, min_cell, limit=np.inf, exact=True)
    return {where(cells, c): (low, high, values[c]) for c, (low, high) in found.items()}


def mean_attack(levels, protected, parents, min_cell):
    """{(level, 'tenure', row): (n low, n high, mean low, mean high)} for every suppressed mean."""
    cells = Cells(levels, ["tenure"])
    n = cells.column(levels, "n")
    sums = cells.column(levels, "mean_years") * n
    hidden = cells.column(protected, "suppressed") > 0
    matrix, zeros = as_matrix(nesting_equations(cells, levels, parents, ["tenure"]), cells.size)
    found = {}
    remainder_n, remainder_s = remainders(matrix, zeros, n, hidden), remainders(matrix, zeros, sums, hidden)
    for group in groups(matrix, hidden):
        a, b_n = problem(matrix, remainder_n, group)
        _, b_s = problem(matrix, remainder_s, group)
        for k in range(len(group)):
            low, high = extreme(a, b_n, k, 1)[0], extreme(a, b_n, k, -1)[0]
            found[where(cells, int(group[k]))] = (low, high, *mean_range(a, b_n, b_s, k))
    return found


def where(cells, cell):
    """(level, table, row position) of a cell number."""
    for level, name, start, length in cells.rows:
        if start <= cell < start + length:
            return level, name, cell - start
    raise IndexError(cell)
