"""What the chapter 'Management and leadership' promises: Table 4.1 is shown whole, in printed
order, with every paraphrased pair marked; the quotations counted are those printed inside the
book's 'Management and Leadership' section, and an attribution that cannot be placed is kept
out of the counts and shown only as a marked reading."""

import matplotlib.figure
import pytest

from nhsreport.analyses import management_and_leadership as ml
from nhsreport.data import load as data_module
from nhsreport.data.codes import cohort_codes


@pytest.fixture(scope="module")
def quotes(data):
    return ml.section_quotes(data["interviewee_quotes"])


def row_of(data_copy, file, **match):
    """1-based data row of the first row matching every field."""
    for number, row in enumerate(data_copy.rows(file), start=1):
        if all(row[k] == v for k, v in match.items()):
            return number
    raise KeyError(match)


# --- Table 4.1 --------------------------------------------------------------------------------


def test_the_contrast_table_shows_every_printed_pair_in_printed_order(data):
    contrast = data["management_leadership_contrast"]
    table = ml.contrast_table(contrast)
    assert list(table["Row"]) == list(range(1, len(contrast) + 1))
    by_row = contrast.set_index("row_no")
    for row in table.itertuples():
        assert row.Management == by_row.loc[row.Row, "management"]
        assert row.Leadership == by_row.loc[row.Row, "leadership"]


def test_every_paraphrased_pair_is_marked_and_no_printed_pair_is(data):
    contrast = data["management_leadership_contrast"]
    table = ml.contrast_table(contrast)
    paraphrased = set(ml.paraphrased_row_numbers(contrast))
    for row in table.itertuples():
        assert ("paraphrase" in row.Wording) == (row.Row in paraphrased)


def test_the_counts_in_the_prose_add_up_to_the_table(data):
    counts = ml.contrast_counts(data["management_leadership_contrast"])
    assert counts["printed"] + counts["paraphrased"] == counts["rows"]
    assert counts["paraphrased"] == len(ml.paraphrased_row_numbers(data["management_leadership_contrast"]))


def test_marking_a_row_as_paraphrased_changes_the_table_and_the_counts(data_copy, data):
    before = ml.contrast_counts(data["management_leadership_contrast"])
    data_copy.set_cell("management_leadership_contrast.csv", 1, "text_status", "paraphrase")
    changed = data_module.validate(data_copy.folder)["management_leadership_contrast"]
    after = ml.contrast_counts(changed)
    assert after["paraphrased"] == before["paraphrased"] + 1
    assert 1 in ml.paraphrased_row_numbers(changed)
    assert "paraphrase" in ml.contrast_table(changed).loc[0, "Wording"]


def test_a_gap_in_the_row_numbers_is_refused(data):
    contrast = data["management_leadership_contrast"]
    with pytest.raises(ValueError, match="not numbered"):
        ml.contrast_rows(contrast[contrast["row_no"] != 5])


# --- quotations in the section ------------------------------------------------------------------


def test_only_quotations_printed_inside_the_section_are_counted(quotes):
    assert len(quotes) > 0
    assert (quotes["chapter"] == 4).all()
    assert quotes["line"].between(ml.SECTION_FIRST_LINE, ml.SECTION_LAST_LINE).all()
    assert list(quotes["line"]) == sorted(quotes["line"])


def test_placed_and_unplaced_attributions_make_up_the_whole_section(quotes):
    summary = ml.quote_summary(quotes)
    grid = ml.quote_grid(quotes)
    assert int(grid.values.sum()) + summary["unplaced"] == summary["attributions"]
    assert sum(summary[f"cohort_{c}"] for c in cohort_codes()) == int(grid.values.sum())
    assert summary["interviewees"] <= summary["attributions"]


def test_an_attribution_with_reversed_labels_is_not_counted_but_read_from_elsewhere(data, quotes):
    unplaced = ml.unplaced_attributions(quotes)
    assert [u[0] for u in unplaced] == ["Annette"]
    readings = ml.likely_placements(quotes, data["interviewee_quotes"])
    assert list(readings.values()) == [("specialist", "general")]
    # The reading is shown, not counted.
    assert int(ml.quote_grid(quotes).loc["specialist", "general"]) == 0


def test_the_reading_follows_the_other_attributions_of_the_same_interviewee(data_copy):
    row = row_of(data_copy, "interviewee_quotes.csv", pseudonym="Annette", trust="specialist")
    data_copy.set_cell("interviewee_quotes.csv", row, "trust", "care")
    data_copy.set_cell("interviewee_quotes.csv", row, "trust_printed", "Care")
    changed = data_module.validate(data_copy.folder)["interviewee_quotes"]
    readings = ml.likely_placements(ml.section_quotes(changed), changed)
    assert list(readings.values()) == [("care", "general")]


def test_a_quotation_moved_out_of_the_section_is_no_longer_counted(data_copy, quotes):
    row = row_of(data_copy, "interviewee_quotes.csv", quote_id="q-038")
    data_copy.set_cell("interviewee_quotes.csv", row, "line", str(ml.SECTION_FIRST_LINE - 1))
    changed = ml.section_quotes(data_module.validate(data_copy.folder)["interviewee_quotes"])
    assert len(changed) == len(quotes) - 1


def test_the_figure_is_drawn(data, quotes):
    values = ml.quote_grid_values(quotes, data["interviewee_quotes"])
    fig = ml.quote_grid_figure(values, ml.unplaced_attributions(quotes))
    assert isinstance(fig, matplotlib.figure.Figure)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "+1?" in texts
