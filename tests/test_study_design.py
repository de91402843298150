"""What the chapter "Study design" promises: the trusts, the cohort framework and the data collected.

Tables 3.1, 3.6 and 3.7 are rebuilt cell for cell; conflicting money figures are kept apart, never
merged; a role is placed in the cohort framework only where the book's text places it; the totals
computed for Table 3.6 equal the ones the book prints; and the formal interviews at each trust equal
the sample of Table 3.2. Breaking an input changes the result or stops validation.
"""

import matplotlib.pyplot as plt
import pytest

from nhsreport.analyses import study_design as design
from nhsreport.data.codes import cohort_labels, trust_codes
from nhsreport.data.errors import DataErrors
from nhsreport.data.load import validate


def texts_of(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


# --- the three trusts ----------------------------------------------------------------------------


def test_table_3_1_has_one_row_per_trust_and_the_six_printed_columns_in_order(data):
    table = design.trust_characteristics_table(data["trust_characteristics"])
    assert list(table["Trust"]) == ["Acute", "Care", "Specialist"]
    assert list(table.columns[1:]) == [
        "Diversity of Services",
        "Area Coverage",
        "Number of Purchasers",
        "Number of Locations",
        "Nature of patient contact",
        "Managerial Knowledge Networks",
    ]
    assert table.notna().all().all()
    assert table.set_index("Trust").loc["Care", "Number of Locations"] == "High"


def test_table_3_7_shows_the_printed_rows_only_with_numbers_as_printed(data):
    table = design.trust_comparison_table(data["trust_comparison"]).set_index("Aspect")
    assert list(table.columns) == ["Acute Trust", "Care Trust", "Specialist Trust"]
    assert len(table) == 8  # the eight printed row heads; the two prose figures are not table rows
    assert "annual revenue" not in table.index and "annual budget" not in table.index
    assert list(table.loc["Workforce"]) == ["5,700", "5,500", "2,500"]
    assert list(table.loc["Turnover"]) == ["£275m", "£230m", "£170m"]
    assert table.notna().all().all()


def test_the_only_descriptive_cell_kept_as_printed_is_named_in_the_note(data):
    assert design.text_cells_as_printed(data["trust_comparison"]) == [("Care", "Spatial/Geographical")]


def test_the_specialist_money_conflict_keeps_both_values(data):
    conflicts = design.money_conflicts(data["trust_comparison"]).set_index("trust")
    assert set(conflicts.index) == {"acute", "specialist"}
    specialist = conflicts.loc["specialist"]
    assert (specialist["table_turnover"], specialist["prose_value"]) == (170, 270)
    assert specialist["difference"] == 100
    assert conflicts.loc["acute", "difference"] == -5


def test_the_size_figure_marks_the_prose_figures_as_text(data):
    fig = design.trust_size_figure(design.trust_size_values(data["trust_comparison"]))
    labels = texts_of(fig) + [
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    ]
    text_marks = [t for t in labels if t.startswith("text:")]
    assert len(text_marks) == 2  # Acute budget and Specialist revenue, each drawn as its own bar
    assert any("annual revenue" in t and "270" in t for t in text_marks)
    assert any("prose" in t.lower() for t in labels)
    plt.close(fig)


def test_only_the_trusts_whose_prose_gives_a_staff_number_are_said_to_agree(data):
    # The Care trust's description gives no staff number, so "the prose descriptions agree"
    # may speak only of the Acute (5700, p. 43) and Specialist (about 2,500, p. 50) trusts.
    staff = design.prose_staff(data["trust_comparison"])
    assert list(staff) == ["acute", "specialist"]
    assert all(prose == table for prose, table in staff.values())


def test_a_prose_staff_number_that_differs_from_the_table_is_seen(data):
    comparison = data["trust_comparison"].copy()
    at = comparison["aspect"] == "workforce_prose"
    comparison.loc[at & (comparison["trust"] == "acute"), "number"] = 5000
    staff = design.prose_staff(comparison)
    assert staff["acute"] == (5000, 5700)


def test_the_money_conflicts_leave_out_the_prose_staff_numbers(data):
    assert set(design.prose_rows(data["trust_comparison"])["unit"]) == {"gbp_million"}


def test_turnover_per_staff_is_derived_from_the_table_not_the_prose(data):
    per_staff = design.turnover_per_staff(data["trust_comparison"])
    assert per_staff["specialist"] == pytest.approx(1000 * 170 / 2500)


# --- the cohort framework ------------------------------------------------------------------------


def test_every_role_is_either_placed_from_the_text_or_unplaced_never_both(data):
    roles = data["cohort_roles"]
    placed, unplaced = design.placed_roles(roles), design.unplaced_roles(roles)
    assert set(placed["role_id"]).isdisjoint(unplaced["role_id"])
    assert len(placed) + len(unplaced) == len(roles)
    assert (placed["placement_basis"] == "text_elsewhere").all()
    assert placed["basis_page"].notna().all()
    assert (unplaced["placement_basis"] == "not_determined").all()


def test_placed_roles_sit_inside_the_core_of_their_own_region(data):
    codes = {name: code for code, name in cohort_labels().items()}
    values = design.cohort_framework_values(data["cohort_roles"])
    for row, (x, y) in design.role_layout(values).items():
        role_id, cohort = values.loc[row, "role (as printed)"], codes[values.loc[row, "region"]]
        left, right = design.REGIONS[cohort]
        others = [design.REGIONS[c] for c in design.REGIONS if c != cohort]
        assert left < x < right and design.REGION_BOTTOM < y < design.REGION_TOP
        assert not any(a < x < b for a, b in others), f"{role_id} drawn in an overlap"


def test_the_framework_figure_lists_every_unplaced_role_apart(data):
    roles = data["cohort_roles"]
    fig = design.cohort_framework_figure(design.cohort_framework_values(roles), data["cohort_framework_axes"])
    box_texts = [t.get_text() for t in fig.axes[1].texts]
    for label in design.unplaced_roles(roles)["role_label"]:
        assert label in box_texts
    main = " ".join(t.get_text() for t in fig.axes[0].texts)
    for label in design.placed_roles(roles)["role_label"]:
        assert label in main
    assert "schematic" in main
    plt.close(fig)


def test_the_roles_table_says_not_determined_where_the_book_is_silent(data):
    table = design.cohort_roles_table(data["cohort_roles"])
    assert len(table) == len(data["cohort_roles"])
    undetermined = table[table["Region"] == "not determined"]
    assert len(undetermined) == len(design.unplaced_roles(data["cohort_roles"]))
    assert (undetermined["Basis"] == "the book does not say").all()


# --- the data collected --------------------------------------------------------------------------


def test_the_computed_totals_of_table_3_6_equal_the_printed_totals(data):
    checks = design.table_total_checks(data, "Table 3.6")
    assert len(checks) == 3 and checks["agrees"].all()
    wide = design.data_collected_wide(data["data_collected"])
    for _, check in checks.iterrows():
        assert wide.loc[design.TOTAL, check["measure"]] == check["printed_total"]


def test_the_days_total_is_computed_but_flagged_as_unprinted(data):
    checks = design.table_total_checks(data, "Table 3.6")
    assert design.unprinted_totals(data["data_collected"], checks) == ["observation_days"]


def test_formal_interviews_per_trust_equal_the_table_3_2_sample(data):
    match = design.formal_interviews_vs_sample(data["data_collected"], data["sample_participants"])
    assert list(match["trust"]) == list(trust_codes())
    assert match["agrees"].all()
    assert match["formal_interviews"].sum() == data["sample_participants"]["count"].sum()


def test_the_data_table_has_key_informants_trusts_and_a_total(data):
    table = design.data_collected_table(data["data_collected"])
    assert list(table["Group"]) == ["Key informants", "Acute", "Care", "Specialist", "Total"]
    total = table.set_index("Group").loc["Total"]
    assert (
        total["All interviews (derived)"]
        == total["Formal recorded interviews"] + total["Informal interviews"]
    )


# --- broken inputs ---------------------------------------------------------------------------------


def row_of(data_copy, file, **match):
    rows = data_copy.rows(file)
    return next(i for i, r in enumerate(rows, start=1) if all(r[k] == v for k, v in match.items()))


def test_changing_the_prose_revenue_changes_the_conflict(data_copy):
    row = row_of(data_copy, "trust_comparison.csv", trust="specialist", aspect="annual_revenue")
    data_copy.set_cell("trust_comparison.csv", row, "number", "170")
    conflicts = design.money_conflicts(validate(data_copy.folder)["trust_comparison"]).set_index("trust")
    assert conflicts.loc["specialist", "difference"] == 0


def test_a_role_placed_by_the_text_moves_out_of_the_unplaced_box(data_copy):
    row = row_of(data_copy, "cohort_roles.csv", role_label="General Manager")
    for column, value in (("cohort", "general"), ("placement_basis", "text_elsewhere"), ("basis_page", "66")):
        data_copy.set_cell("cohort_roles.csv", row, column, value)
    roles = validate(data_copy.folder)["cohort_roles"]
    assert "General Manager" in set(design.placed_roles(roles)["role_label"])
    assert "General Manager" not in set(design.unplaced_roles(roles)["role_label"])


def test_an_interview_count_that_breaks_the_printed_total_stops_validation(data_copy):
    row = row_of(data_copy, "data_collected.csv", group="acute", measure="interviews_formal")
    data_copy.set_cell("data_collected.csv", row, "value", "21")
    with pytest.raises(DataErrors) as caught:
        validate(data_copy.folder)
    assert any(
        e.file == "data_collected.csv" or "data_collected" in e.describe() for e in caught.value.errors
    )


def test_a_mismatch_between_interviews_and_sample_is_detected(data_copy):
    # Move one formal interview from the Acute trust to the key informants: the printed totals
    # still agree, but the Acute interviews no longer equal the Acute sample. Either validation
    # stops it (a cross-table rule) or the chapter's check reports the disagreement.
    acute = row_of(data_copy, "data_collected.csv", group="acute", measure="interviews_formal")
    informants = row_of(data_copy, "data_collected.csv", group="key_informants", measure="interviews_formal")
    data_copy.set_cell("data_collected.csv", acute, "value", "19")
    data_copy.set_cell("data_collected.csv", informants, "value", "14")
    try:
        dataset = validate(data_copy.folder)
    except DataErrors as caught:
        assert any(e.file == "data_collected.csv" for e in caught.errors)
        return
    match = design.formal_interviews_vs_sample(dataset["data_collected"], dataset["sample_participants"])
    assert list(match["agrees"]) == [False, True, True]


def test_the_interview_check_compares_cell_by_cell(data):
    collected = data["data_collected"]
    acute = (collected["group"] == "acute") & (collected["measure"] == "interviews_formal")
    collected.loc[acute, "value"] = 19
    match = design.formal_interviews_vs_sample(collected, data["sample_participants"])
    assert list(match["agrees"]) == [False, True, True]
