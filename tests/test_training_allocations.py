"""What the chapter 'Levels of formal training' promises about the unprinted Figures 3.2 and 3.3:
every chart it counts meets every statement (by the project's own expression evaluator), the
counts are exact (checked against brute force on a small table), the bounds are the true lowest
and highest values (checked against integer programming), and a change in the data shows."""

import functools
import itertools

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from nhsreport.analyses import training as ta
from nhsreport.data import load as data_module
from nhsreport.data.codes import cohort_codes, trust_codes


@pytest.fixture(scope="module")
def exact(data):
    return ta.enumerate_allocations(data)


@pytest.fixture(scope="module")
def loose(data):
    return ta.enumerate_allocations(data, include_interpretations=True)


def allocations_from(result, indices, split=0):
    """Allocations built on feasible minimal tables, with ``split`` of each remainder moved from
    'some' to 'substantial' where it fits."""
    for index in indices:
        allocation = ta.witness_allocation(result, index)
        for t, c in itertools.product(trust_codes(), cohort_codes()):
            moved = min(split, allocation[(t, c, "some")])
            allocation[(t, c, "some")] -= moved
            allocation[(t, c, "substantial")] += moved
        yield allocation


# --- which statements are in force ----------------------------------------------------------------
def test_the_exact_run_uses_only_the_encoded_statements(data, exact, loose):
    rows = data["training_constraints"]
    assert set(exact.constraint_ids) == set(rows.loc[rows["encoded"].astype(bool), "constraint_id"])
    assert set(loose.constraint_ids) == set(rows["constraint_id"])


# --- every counted chart meets every statement ------------------------------------------------------
@pytest.mark.parametrize("which", ["exact", "loose"])
@pytest.mark.parametrize("split", [0, 1, 5])
def test_allocations_on_feasible_minimal_tables_meet_every_statement(data, exact, loose, which, split):
    result = {"exact": exact, "loose": loose}[which]
    rows = ta.constraint_rows(data, which == "loose")
    indices = sorted({0, len(result.minimal_tables) - 1, *range(0, len(result.minimal_tables), 211)})
    for allocation in allocations_from(result, indices, split):
        holds = ta.constraint_checker(data, allocation)
        for _, row in rows.iterrows():
            assert holds(row), (row["constraint_id"], allocation)


def test_every_allocation_keeps_the_table_3_2_margins(data, exact):
    cells = data["sample_participants"].set_index(["trust", "cohort"])["count"]
    for allocation in allocations_from(exact, range(0, len(exact.minimal_tables), 500), split=2):
        for t, c in itertools.product(trust_codes(), cohort_codes()):
            assert sum(allocation[(t, c, l)] for l in ta.LEVELS) == cells[(t, c)]


def test_the_exact_linear_forms_agree_with_the_expression_evaluator(data):
    """Random allocations within Table 3.2: each statement holds by the evaluator exactly when it
    holds by the linear form the counting uses."""
    n = ta.margins(data)
    rows = ta.constraint_rows(data, include_interpretations=True)
    compiled = {row["constraint_id"]: ta.minimal_constraint(row, data, n) for _, row in rows.iterrows()}
    rng = np.random.default_rng(20170)
    outcomes = set()
    for _ in range(300):
        allocation, m = {}, np.zeros((3, 3), dtype=np.int64)
        for i, t in enumerate(trust_codes()):
            for j, c in enumerate(cohort_codes()):
                parts = rng.multinomial(n[i, j], rng.dirichlet([0.4, 1, 1]))
                m[i, j] = parts[0]
                allocation.update({(t, c, l): int(p) for l, p in zip(ta.LEVELS, parts)})
        holds = ta.constraint_checker(data, allocation)
        for _, row in rows.iterrows():
            k = compiled[row["constraint_id"]]
            by_form = bool(k.holds(int((k.weights * m).sum()) + k.offset))
            assert by_form == holds(row), row["constraint_id"]
            outcomes.add((row["constraint_id"], by_form))
    assert {o for _, o in outcomes} == {True, False}  # both outcomes were exercised


def test_a_table_with_a_minimal_acute_manager_is_refused(data, exact):
    allocation = ta.witness_allocation(exact)
    allocation[("acute", "general", "minimal")] += 1
    allocation[("acute", "general", "some")] -= 1
    tc04 = data["training_constraints"].set_index("constraint_id").loc["tc04"].to_dict()
    assert not ta.evaluate_constraint(data, tc04, allocation)
    assert not any(m[0].sum() for m in exact.minimal_tables)


# --- the bounds are the true extremes ------------------------------------------------------------------
def full_milp_bounds(data, include_interpretations):
    """Lowest and highest value of every bar by integer programming over all 27 cells of x."""
    n = ta.margins(data)
    a, lower, upper = [], [], []
    for _, row in ta.constraint_rows(data, include_interpretations).iterrows():
        form = ta.linear_form(row["lhs"], data, n) + ta.linear_form(row["rhs"], data, n).scale(-1)
        scale = np.lcm.reduce([f.denominator for f in (*form.coefficients, form.constant)])
        coefficients = [int(f * scale) for f in form.coefficients]
        target = -int(form.constant * scale)
        low, high = {
            "=": (target, target),
            "<=": (-np.inf, target),
            "<": (-np.inf, target - 1),
            ">=": (target, np.inf),
            ">": (target + 1, np.inf),
        }[row["operator"]]
        a.append(coefficients), lower.append(low), upper.append(high)
    for i, t in enumerate(trust_codes()):
        for j, c in enumerate(cohort_codes()):
            a.append([1 if (tt, cc) == (t, c) else 0 for tt, cc, _ in ta.cells()])
            lower.append(n[i, j]), upper.append(n[i, j])
    system = LinearConstraint(np.array(a, dtype=float), lower, upper)
    found = {}
    for figure, groups, position in (("3.2", trust_codes(), 0), ("3.3", cohort_codes(), 1)):
        for group, level in itertools.product(groups, ta.LEVELS):
            objective = np.array(
                [1.0 if (cell[position], cell[2]) == (group, level) else 0.0 for cell in ta.cells()]
            )
            ends = []
            for sign in (1, -1):
                out = milp(
                    sign * objective, constraints=[system], integrality=np.ones(27), bounds=Bounds(0, np.inf)
                )
                assert out.status == 0
                ends.append(int(round(sign * out.fun)))
            found[(figure, group, level)] = tuple(ends)
    return found


@pytest.mark.parametrize("which", ["exact", "loose"])
def test_cell_bounds_are_the_integer_programming_extremes(data, exact, loose, which):
    result = {"exact": exact, "loose": loose}[which]
    expected = full_milp_bounds(data, which == "loose")
    got = {(r.figure, r.group, r.level): (r.low, r.high) for r in result.cell_bounds.itertuples()}
    assert got == expected


def test_bounds_are_ordered_and_determined_means_a_single_value(exact, loose):
    for result in (exact, loose):
        b = result.cell_bounds
        assert len(b) == 18 and (b["low"] <= b["high"]).all()
        assert (b["determined"] == (b["low"] == b["high"])).all()
    assert list(exact.cell_bounds.loc[exact.cell_bounds["determined"], "group"]) == ["acute"]


def test_readings_of_vague_words_only_narrow_what_fits(exact, loose):
    assert loose.count_by_trust <= exact.count_by_trust
    assert loose.count_by_cohort <= exact.count_by_cohort
    assert set(map(tuple, loose.minimal_tables.reshape(-1, 9))) <= set(
        map(tuple, exact.minimal_tables.reshape(-1, 9))
    )
    merged = exact.cell_bounds.merge(loose.cell_bounds, on=["figure", "group", "level"])
    assert (merged["low_x"] <= merged["low_y"]).all() and (merged["high_y"] <= merged["high_x"]).all()


def test_the_minimal_bars_add_up_to_the_printed_count(data, exact):
    some_or_more = float(data["training_constraints"].set_index("constraint_id").loc["tc01", "rhs"])
    total = int(data["sample_participants"]["count"].sum())
    assert {int(m.sum()) for m in exact.minimal_tables} == {total - some_or_more}


# --- the counts are exact: brute force on a small table ----------------------------------------------------
def brute_force(n, keep):
    """Every allocation of a small table, listed: distinct Figure 3.2, Figure 3.3 and pairs."""
    splits = {
        k: [p for p in itertools.product(range(k + 1), repeat=2) if sum(p) <= k] for k in set(n.ravel())
    }
    by_trust, by_cohort, pairs = set(), set(), set()
    for choice in itertools.product(*(splits[k] for k in n.ravel())):
        m = np.array([p[0] for p in choice]).reshape(3, 3)
        s = np.array([p[1] for p in choice]).reshape(3, 3)
        if not keep(m):
            continue
        u = n - m - s
        f32 = tuple(np.stack([m.sum(1), s.sum(1), u.sum(1)], 1).ravel())
        f33 = tuple(np.stack([m.sum(0), s.sum(0), u.sum(0)], 1).ravel())
        by_trust.add(f32), by_cohort.add(f33), pairs.add((f32, f33))
    return by_trust, by_cohort, pairs


SMALL = np.array([[2, 1, 1], [1, 2, 0], [1, 1, 2]])
SMALL_RULES = {
    "none": [],
    "two minimal, none in the first row": [
        ta.MinimalConstraint("a", np.ones((3, 3), dtype=np.int64), -2, "="),
        ta.MinimalConstraint("b", np.array([[1, 1, 1], [0, 0, 0], [0, 0, 0]]), 0, "="),
    ],
    "a cell and a strict comparison": [
        ta.MinimalConstraint("c", np.array([[0, 0, 0], [0, 0, 0], [1, 0, 0]]), -1, ">="),
        ta.MinimalConstraint("d", np.array([[0, 3, 0], [-1, -1, 0], [0, 0, 0]]), 0, "<"),
    ],
}


@functools.cache  # listed once per set of rules, whatever the passes
def brute_force_on_small_table(rules):
    def keep(m):
        return all(k.holds(int((k.weights * m).sum()) + k.offset) for k in SMALL_RULES[rules])

    return brute_force(SMALL, keep)


@pytest.mark.parametrize("rows_per_pass", [ta.ROWS_PER_PASS, 1, 7])
@pytest.mark.parametrize("rules", list(SMALL_RULES))
def test_counts_and_bounds_equal_brute_force_on_a_small_table(rules, rows_per_pass, monkeypatch):
    monkeypatch.setattr(ta, "ROWS_PER_PASS", rows_per_pass)  # the pair count, whatever its passes
    constraints = SMALL_RULES[rules]
    result = ta.Allocations(
        tuple(k.constraint_id for k in constraints), SMALL, ta.feasible_minimal_tables(constraints, SMALL)
    )
    by_trust, by_cohort, pairs = brute_force_on_small_table(rules)
    assert (result.count_by_trust, result.count_by_cohort, result.count_pairs) == (
        len(by_trust),
        len(by_cohort),
        len(pairs),
    )
    assert len(pairs) < len(by_trust) * len(by_cohort)  # not every combination is a pair
    for figure, tables in (("3.2", by_trust), ("3.3", by_cohort)):
        values = np.array(sorted(tables)).reshape(len(tables), 3, 3)
        got = result.cell_bounds[result.cell_bounds["figure"] == figure]
        assert list(got["low"]) == list(values.min(axis=0).ravel())
        assert list(got["high"]) == list(values.max(axis=0).ravel())


# --- a change in the data shows ---------------------------------------------------------------------------
def test_a_different_printed_count_changes_what_fits(data_copy, exact):
    data_copy.set_cell("training_constraints.csv", 1, "rhs", "51")  # tc01: 52 -> 51
    changed = ta.enumerate_allocations(data_module.validate(data_copy.folder))
    assert changed.count_by_trust == 0 and changed.count_pairs == 0  # 51 of 68 is 75.0 per cent: below 75.5
    data_copy.set_cell("training_constraints.csv", 2, "rhs", "74.5")  # tc02 relaxed as well
    changed = ta.enumerate_allocations(data_module.validate(data_copy.folder))
    assert changed.count_by_trust > 0 and changed.count_by_trust != exact.count_by_trust
    bounds = changed.cell_bounds.set_index(["figure", "group", "level"])
    assert bounds.loc[("3.2", "care", "minimal"), "high"] == 17


def test_a_looser_acute_statement_widens_the_acute_bar(data_copy, exact):
    data_copy.set_cell("training_constraints.csv", 4, "operator", "<=")  # tc04: = 0 -> <= 2
    data_copy.set_cell("training_constraints.csv", 4, "rhs", "2")
    changed = ta.enumerate_allocations(data_module.validate(data_copy.folder))
    bounds = changed.cell_bounds.set_index(["figure", "group", "level"])
    assert (
        bounds.loc[("3.2", "acute", "minimal"), "low"],
        bounds.loc[("3.2", "acute", "minimal"), "high"],
    ) == (0, 2)
    assert not bounds["determined"].any()
    assert changed.count_minimal_tables > exact.count_minimal_tables


def test_a_sample_edit_that_breaks_the_printed_totals_never_reaches_the_count(data_copy):
    rows = data_copy.rows("sample_participants.csv")
    row = next(i for i, r in enumerate(rows, 1) if (r["trust"], r["cohort"]) == ("care", "clinical"))
    data_copy.set_cell("sample_participants.csv", row, "count", "6")
    with pytest.raises(data_module.DataErrors):
        ta.enumerate_allocations(data_module.validate(data_copy.folder))


def test_a_statement_that_tells_some_from_substantial_is_refused(data_copy):
    data_copy.set_cell("training_constraints.csv", 1, "lhs", "sum(training.count; level=some)")
    with pytest.raises(NotImplementedError):
        ta.enumerate_allocations(data_module.validate(data_copy.folder))


def test_a_non_linear_statement_is_refused(data_copy):
    data_copy.set_cell(
        "training_constraints.csv",
        1,
        "lhs",
        "sum(training.count; level=minimal) * sum(training.count; level=some)",
    )
    with pytest.raises(ValueError):
        ta.enumerate_allocations(data_module.validate(data_copy.folder))
