"""What the chapter "Careers and qualifications" promises (book chapter 5, Tables 5.1 and 5.2).

- Table 5.1 is rebuilt from its items, and its recomputed totals are the printed ones.
- Hybrid + pure play managers always make up each group; the computed ratio is not the book's 4:1.
- The prose counts set beside the table are found in the claims register, one claim each.
- Table 5.2: the strict placement rule admits no reading; the relaxed rule admits readings that all
  meet every printed total, are all different, keep the printed order, and are exactly as many as an
  independent count finds; the cell ranges cover every reading.
- Broken inputs change the results or are refused.
"""

import itertools
from collections import Counter
from math import comb

import numpy as np
import pytest

from nhsreport.analyses import careers_and_qualifications as q
from nhsreport.analyses import who_was_studied as studied
from nhsreport.analyses.appendix_reproducibility import AGREES, PROXY_CONTRADICTS
from nhsreport.data.codes import cohort_codes, trust_codes
from nhsreport.data.errors import DataErrors
from nhsreport.data.load import validate

N_COLUMNS = 5


@pytest.fixture(scope="module")
def readings(data):
    return q.table52_readings(data)


def names(codes):
    return {code: code.title() for code in codes}


def printed_total(data, expression, locator):
    totals = data["printed_totals"]
    row = totals[(totals["expression"] == expression) & (totals["locator"] == locator)]
    assert len(row) == 1
    return int(row["printed_total"].iloc[0])


# --- Table 5.1 -----------------------------------------------------------------------------------


def test_table_51_total_row_equals_the_printed_totals(data):
    table = q.clinical_backgrounds_table(data, names(trust_codes()), names(cohort_codes()))
    total = table[table["Trust"] == "Total"].iloc[0]
    assert total["With a background"] == printed_total(
        data, "sum(clinical_backgrounds.count; column=clinical_background)", "Table 5.1"
    )
    assert total["Qualifications"] == printed_total(
        data, "sum(clinical_backgrounds.count; column=clinical_qualification)", "Table 5.1"
    )
    assert total["Total in cohort"] == printed_total(data, "sum(sample_participants.count)", "Table 5.1")
    assert len(table) == len(trust_codes()) * len(cohort_codes()) + 1


def test_an_empty_cell_of_table_51_is_shown_as_a_dash(data):
    table = q.clinical_backgrounds_table(data, names(trust_codes()), names(cohort_codes()))
    care_functional = table[(table["Trust"] == "Care") & (table["Cohort"] == "Functional")].iloc[0]
    assert care_functional["Clinical backgrounds"] == "–"
    assert care_functional["With a background"] == 0


def test_every_background_label_has_a_type_and_each_group_adds_up_to_its_size(data):
    by_type = q.backgrounds_by_type(data)
    sizes = studied.sample_sizes(data)
    for (trust, cohort), cell in by_type.groupby(["trust", "cohort"]):
        assert int(cell["count"].sum()) == sizes[(trust, cohort)]
        assert (cell["count"] >= 0).all()
    with pytest.raises(ValueError):
        q.background_type("Dentists")


def test_the_background_types_match_the_prose_breakdown(data):
    by_type = q.backgrounds_by_type(data).groupby("type")["count"].sum()
    for kind, words in (
        ("Doctors", "doctors among"),
        ("Nurses", "nurses among"),
        ("Scientists", "scientists among"),
        ("AHPs", "allied health"),
        ("Social workers", "social workers among"),
    ):
        assert by_type[kind] == q.find_claim(data, words)["printed_value"]


# --- Hybrid and pure play --------------------------------------------------------------------------


def test_hybrid_and_pure_play_make_up_every_group(data):
    counts = q.hybrid_counts(data)
    assert (counts["hybrid"] + counts["pure_play"] == counts["managers"]).all()
    assert int(counts["hybrid"].sum()) == printed_total(
        data, "sum(clinical_backgrounds.count; column=clinical_background)", "Table 5.1"
    )


def test_the_computed_ratio_is_well_below_the_ratio_the_book_cites(data):
    counts = q.hybrid_counts(data)
    computed = q.ratio(int(counts["hybrid"].sum()), int(counts["pure_play"].sum()))
    claimed = q.find_claim(data, "hybrid managers to pure play managers in the sample")
    assert claimed["claim_id"] == "c2-020" and claimed["unit"] == "ratio"
    assert computed == pytest.approx(42 / 26, abs=0.01)
    assert computed < claimed["printed_value"] / 2


def test_the_summary_has_trusts_cohorts_and_the_whole_sample(data):
    summary = q.hybrid_summary(q.hybrid_counts(data), names(trust_codes()), names(cohort_codes()))
    whole = summary[summary["Grouping"] == "Whole sample"].iloc[0]
    assert (whole["Managers"], whole["Hybrid"], whole["Pure play"]) == (68, 42, 26)
    for grouping in ("By trust", "By cohort"):
        part = summary[summary["Grouping"] == grouping]
        assert part["Managers"].sum() == whole["Managers"] and part["Hybrid"].sum() == whole["Hybrid"]
    clinical = summary[summary["Group"] == "Clinical"].iloc[0]
    assert clinical["Hybrid : pure play"] == "no pure play"


def test_pure_play_counts_for_a_ratio_bracket_the_exact_value():
    assert q.pure_play_for_ratio(68, 4) == (13, 14)
    assert q.pure_play_for_ratio(50, 4) == (10, 10)


def test_a_claim_must_match_exactly_once(data):
    with pytest.raises(LookupError):
        q.find_claim(data, "hybrid")  # several claims mention hybrid managers


def test_prose_counts_agree_or_disagree_as_the_register_says(data):
    prose = q.prose_counts(data).set_index("claim_id")
    assert prose.loc["c2-006", "verdict"] == AGREES
    for claim in ("c2-022", "c2-023", "c2-024", "c2-033"):
        assert prose.loc[claim, "verdict"] == PROXY_CONTRADICTS and q.differs(prose.loc[claim, "verdict"])
    assert prose.loc["c2-033", "table"] == 7 and prose.loc["c2-033", "prose"] == 9


# --- Table 5.2 -----------------------------------------------------------------------------------


def test_tokens_parse_with_brackets_and_the_mba_star():
    assert q.parse_token("4") == q.Token("4", 4, False, False)
    assert q.parse_token("(2*)") == q.Token("(2*)", 2, True, True)


def test_strict_placements_are_choices_of_columns_for_the_numbers():
    row = tuple(q.parse_token(t) for t in ("1", "4", "(3)", "1", "(3)"))
    strict = q.placements(row, N_COLUMNS, "strict")
    assert len(strict) == comb(N_COLUMNS, 3)
    for placement in strict:
        assert placement[1] == placement[2] and placement[3] == placement[4]


def test_relaxed_placements_include_the_strict_ones_and_keep_the_order():
    row = tuple(q.parse_token(t) for t in ("1", "(1)", "1", "(1*)"))
    strict = set(q.placements(row, N_COLUMNS, "strict"))
    relaxed = q.placements(row, N_COLUMNS, "relaxed")
    assert strict <= set(relaxed) and len(relaxed) == len(set(relaxed))
    for placement in relaxed:
        assert list(placement) == sorted(placement)
        plain = [c for c, t in zip(placement, row) if not t.bracketed]
        assert len(set(plain)) == len(plain)


def test_the_strict_rule_admits_no_reading_so_the_relaxed_one_is_used(data, readings):
    assert readings.strict_count == 0
    assert readings.model == "relaxed"
    assert q.table52_readings(data, model="strict").count == 0
    diagnosis, _ = q.strict_diagnosis(data)
    assert not diagnosis["reachable"].all()


def column_sums(rows, reading, n_columns=N_COLUMNS):
    """(plain sums, bracketed sums) per column of one reading ({row key: placement})."""
    plain, paren = [0] * n_columns, [0] * n_columns
    for key, tokens in rows.items():
        for token, column in zip(tokens, reading[key]):
            (paren if token.bracketed else plain)[column] += token.value
    return plain, paren


def test_every_reading_meets_every_printed_total(data, readings):
    _, totals, paren_totals = q.column_targets(data)
    assert readings.count == len(readings.readings) > 0
    for reading in readings.readings:
        plain, paren = column_sums(readings.rows, reading)
        assert plain == totals
        assert all(printed is None or got == printed for got, printed in zip(paren, paren_totals))
        # the unprinted bracketed totals of the first three columns come out as zero anyway
        assert paren[:3] == [0, 0, 0]


def test_readings_are_distinct_and_use_only_allowed_placements(readings):
    keys = [tuple(r[k] for k in readings.rows) for r in readings.readings]
    assert len(set(keys)) == len(keys)
    for reading in readings.readings:
        for key, placement in reading.items():
            assert placement in q.placements(readings.rows[key], N_COLUMNS, "relaxed")


def test_an_independent_count_finds_the_same_number_of_readings(data, readings):
    """A counting pass (no enumeration) over the relaxed placements gives the same count."""
    _, totals, paren_totals = q.column_targets(data)
    states = Counter({((0,) * N_COLUMNS, (0,) * N_COLUMNS): 1})
    for tokens in readings.rows.values():
        following = Counter()
        placements = q.placements(tokens, N_COLUMNS, "relaxed")
        contributions = [q.contribution(tokens, placement, N_COLUMNS) for placement in placements]
        for (plain, paren), ways in states.items():
            for add_plain, add_paren in contributions:
                new_plain = tuple(a + b for a, b in zip(plain, add_plain))
                new_paren = tuple(a + b for a, b in zip(paren, add_paren))
                # Counts only grow, so a sum already over its printed total never comes back.
                if all(v <= t for v, t in zip(new_plain, totals)) and all(
                    t is None or v <= t for v, t in zip(new_paren, paren_totals)
                ):
                    following[(new_plain, new_paren)] += ways
        states = following
    count = sum(
        ways
        for (plain, paren), ways in states.items()
        if list(plain) == totals and all(t is None or p == t for p, t in zip(paren, paren_totals))
    )
    assert count == readings.count == 44


# A small made-up table: its readings can be listed by brute force. Its totals are those of one
# reading (each row's middle placement), printed in full or in part (False: not printed).
SMALL_ROWS = {
    ("a", 1): ("1", "(1)", "2"),
    ("a", 2): ("3",),
    ("b", 1): ("2", "(2)"),
    ("b", 2): ("1", "1", "(1)"),
    ("c", 1): ("2", "1"),
}
SMALL_COLUMNS = 4
SMALL_PRINTED = {  # which plain totals and which bracketed totals are printed
    "every total printed": ([True] * 4, [True] * 4),
    "no bracketed total printed": ([True] * 4, [False] * 4),
    "two plain totals missing": ([False, True, False, True], [True] * 4),
    "nothing printed": ([False] * 4, [False] * 4),
}


@pytest.mark.parametrize("printed", list(SMALL_PRINTED))
def test_the_search_finds_exactly_the_readings_brute_force_finds(printed):
    rows = {key: tuple(q.parse_token(t) for t in texts) for key, texts in SMALL_ROWS.items()}
    options = [q.placements(tokens, SMALL_COLUMNS, "relaxed") for tokens in rows.values()]
    plain, paren = column_sums(rows, {key: o[len(o) // 2] for key, o in zip(rows, options)}, SMALL_COLUMNS)
    shown_plain, shown_paren = SMALL_PRINTED[printed]
    totals = [t if shown else None for t, shown in zip(plain, shown_plain)]
    paren_totals = [t if shown else None for t, shown in zip(paren, shown_paren)]

    def fits(sums, printed_sums):
        return all(t is None or v == t for v, t in zip(sums, printed_sums))

    every_reading = [dict(zip(rows, choice)) for choice in itertools.product(*options)]
    expected = [
        reading
        for reading in every_reading
        if all(map(fits, column_sums(rows, reading, SMALL_COLUMNS), (totals, paren_totals)))
    ]
    _, found = q.searched_readings(rows, totals, paren_totals, "relaxed")
    assert found == expected and len(found) > 1


def test_every_state_within_its_bounds_gets_its_own_number():
    bounds = [2, 0, 3, 1, 4]
    states = np.array(list(itertools.product(*(range(b + 1) for b in bounds))))
    assert len(set((states @ q.state_weights(bounds)).tolist())) == len(states)
    with pytest.raises(NotImplementedError):
        q.state_weights([2**40, 2**40])  # more states than 64 bits can number


def test_per_row_counts_are_consistent(readings):
    per_row = readings.per_row
    assert list(per_row.columns) == ["trust", "cohort", "placements_possible", "placements_consistent"]
    assert len(per_row) == len(trust_codes()) * len(cohort_codes())
    assert (
        (per_row["placements_consistent"] >= 1)
        & (per_row["placements_consistent"] <= per_row["placements_possible"])
    ).all()
    product = 1
    for n in per_row["placements_consistent"]:
        product *= int(n)
    assert readings.count <= product


def test_cell_ranges_cover_every_reading(readings):
    cells = readings.cells
    assert list(cells.columns) == ["trust", "cohort", "column", "low", "high", "certain"]
    assert len(cells) == len(trust_codes()) * len(cohort_codes()) * N_COLUMNS
    assert (cells["low"] <= cells["high"]).all()
    assert (cells["certain"] == (cells["low"] == cells["high"])).all()
    indexed = cells.set_index(["trust", "cohort", "column"])
    for reading in readings.readings:
        for key, tokens in readings.rows.items():
            for index, column in enumerate(readings.columns):
                value = sum(t.value for t, c in zip(tokens, reading[key]) if c == index and not t.bracketed)
                assert indexed.loc[(*key, column), "low"] <= value <= indexed.loc[(*key, column), "high"]


def test_fully_printed_rows_are_certain_and_match_the_tokens(readings):
    cells = readings.cells.set_index(["trust", "cohort", "column"])
    for key in (("acute", "general"), ("specialist", "functional"), ("specialist", "general")):
        plain = [t.value for t in readings.rows[key] if not t.bracketed]
        assert [int(cells.loc[(*key, c), "low"]) for c in readings.columns] == plain
        assert all(cells.loc[(*key, c), "certain"] for c in readings.columns)


def test_each_rows_cells_add_up_to_its_printed_numbers(readings):
    for key, tokens in readings.rows.items():
        for reading in readings.readings:
            plain, _ = q.contribution(tokens, reading[key], N_COLUMNS)
            assert sum(plain) == sum(t.value for t in tokens if not t.bracketed)


def test_the_display_marks_uncertain_cells_and_keeps_printed_totals(data, readings):
    labels = dict(
        zip(
            data["nonclinical_quals_column_totals"]["column"],
            data["nonclinical_quals_column_totals"]["column_label"],
        )
    )
    shown = q.table52_display(
        readings, studied.sample_sizes(data), labels, names(trust_codes()), names(cohort_codes())
    )
    total = shown[shown["Trust"] == "Total"].iloc[0]
    assert total["PGDip Health (Mgt)"] == "14 (16)" and total["MSc Health (Mgt)"] == "19 (11)"
    assert total["Total"] == "68"
    daggers = sum(str(v).endswith("†") for v in shown.drop(columns=["Trust", "Cohort"]).to_numpy().ravel())
    uncertain = (~(readings.cells["certain"] & readings.bracket_cells["certain"])).sum()
    assert daggers == uncertain


# --- Broken inputs -------------------------------------------------------------------------------


def test_changed_column_totals_let_the_strict_rule_through(data_copy):
    """If the PGDip total were 21 and Other degrees 9, the strict rule would fit and be used."""
    data_copy.set_cell("nonclinical_quals_column_totals.csv", 4, "printed_total", "21", rehash=False)
    data_copy.set_cell("nonclinical_quals_column_totals.csv", 3, "printed_total", "9")
    result = q.table52_readings(validate(data_copy.folder))
    assert result.model == "strict" and result.strict_count == result.count > 0


def test_a_changed_token_leaves_no_reading(data_copy):
    """Acute general's last plain number 4 -> 5: the MSc column can no longer total 19."""
    rows = data_copy.rows("nonclinical_quals_tokens.csv")
    row = next(
        i
        for i, r in enumerate(rows, 1)
        if (r["trust"], r["cohort"], r["token_no"]) == ("acute", "general", "5")
    )
    data_copy.set_cell("nonclinical_quals_tokens.csv", row, "token", "5")
    result = q.table52_readings(validate(data_copy.folder))
    assert result.count == 0 and result.readings == []
    assert result.cells["low"].isna().all() and not result.cells["certain"].any()


def test_a_changed_background_count_is_refused_before_any_count(data_copy):
    data_copy.set_cell("clinical_backgrounds.csv", 2, "count", "3")
    with pytest.raises(DataErrors):
        q.hybrid_counts(validate(data_copy.folder))


def test_a_relabelled_background_is_refused_by_the_chapter_code(data_copy):
    data_copy.set_cell("clinical_backgrounds.csv", 1, "label", "Dentists")
    with pytest.raises(ValueError):
        q.hybrid_counts(validate(data_copy.folder))
