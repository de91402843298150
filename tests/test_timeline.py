"""What the chapter "The NHS management context" promises: Tables 2.1 and 2.2 rebuilt from the
transcribed cells, a timeline that uses only printed years, and every place where the book gives
two values for the same thing reported with both values."""

import matplotlib.figure
import pandas as pd
import pytest

from nhsreport.analyses import nhs_management_context as timeline
from nhsreport.data.errors import DataErrors
from nhsreport.data.load import validate


@pytest.fixture(scope="module")
def periods(data):
    return data["nhs_management_periods"]


@pytest.fixture(scope="module")
def programmes(data):
    return data["training_programmes"]


@pytest.fixture(scope="module")
def events(data):
    return data["timeline_events"]


def row_number(data_copy, file, **match):
    """1-based data row of ``file`` whose cells equal ``match`` (exactly one)."""
    rows = [
        i for i, r in enumerate(data_copy.rows(file), start=1) if all(r[k] == v for k, v in match.items())
    ]
    assert len(rows) == 1, rows
    return rows[0]


# --- Table 2.1 -------------------------------------------------------------------------------------
def test_table_2_1_has_one_row_per_printed_period_in_time_order(periods):
    table = timeline.management_changes_table(periods)
    assert list(table["Period"]) == list(timeline.periods_in_order(periods)["period"])
    assert table["Period"].is_unique
    assert len(table) == periods["period"].nunique()


def test_every_printed_item_is_in_its_periods_cell_in_printed_order(periods):
    table = timeline.management_changes_table(periods).set_index("Period")
    for (period, column), items in periods.groupby(["period", "column"]):
        cell = table.loc[period, timeline.PERIOD_COLUMNS[column]]
        shown = cell.split(timeline.ITEM_SEPARATOR)
        expected = [
            timeline.marked_item(i, s)
            for i, s in zip(items.sort_values("item_no")["item"], items.sort_values("item_no")["text_status"])
        ]
        assert shown == expected


def test_only_paraphrased_items_carry_the_paraphrase_mark(periods):
    table = timeline.management_changes_table(periods)
    cells = " ".join(table["Management changes"]) + " " + " ".join(table["Major policy initiatives"])
    assert cells.count(timeline.PARAPHRASE_MARK) == timeline.paraphrased_items(periods) > 0


def test_shared_boundary_years_end_one_printed_period_and_start_the_next(periods):
    spans = timeline.era_years(periods)
    shared = timeline.shared_boundary_years(periods)
    assert shared, "the book prints periods that share a boundary year"
    for year in shared:
        assert any(end == year for _, end in spans) and any(start == year for start, _ in spans)


# --- Table 2.2 -------------------------------------------------------------------------------------
def test_table_2_2_keeps_the_printed_rows_years_and_agencies(programmes):
    table = timeline.training_programmes_table(programmes)
    printed = programmes.sort_values("row_no")
    assert len(table) == len(programmes)
    assert list(table["Year"]) == list(printed["years"])
    for shown, agency in zip(table["Agency responsible"], printed["agency"]):
        assert shown == (agency or "(none printed)")


def test_no_programme_is_given_an_end_year(programmes):
    assert programmes["end_year"].isna().all()
    assert all(y.endswith("-") for y in timeline.training_programmes_table(programmes)["Year"])


def test_the_award_conflict_is_marked_and_carries_both_awards(programmes):
    table = timeline.training_programmes_table(programmes)
    marked = table[table["Chapter text adds"].str.contains(timeline.CONFLICT_MARK)]
    conflicts = timeline.award_conflicts(programmes)
    assert len(marked) == len(conflicts) >= 1
    assert (conflicts["award"] != conflicts["text_award"]).all()


def test_programme_counts_add_up_to_the_table(programmes):
    assert sum(timeline.programmes_by_year(programmes).values()) == len(programmes)


# --- the timeline ----------------------------------------------------------------------------------
def test_the_timeline_uses_only_printed_years(events):
    rows = timeline.timeline_rows(events).set_index("event_id")
    printed = events.set_index("event_id")
    assert set(rows.index) == set(printed.index)
    for event_id, row in rows.iterrows():
        assert row["left"] == printed.loc[event_id, "start_year"]
        end = printed.loc[event_id, "end_year"]
        if row["open_ended"]:
            assert pd.isna(row["right"]) and pd.isna(end)
        else:
            assert row["right"] == (end if pd.notna(end) else row["start_year"]) + 1
        assert timeline.FIRST_YEAR <= row["left"] and (
            pd.isna(row["right"]) or row["right"] <= timeline.LAST_YEAR + 1
        )


def test_every_table_2_2_programme_is_drawn_open_ended(events):
    rows = timeline.timeline_rows(events)
    from_table = rows[(rows["kind"] == "programme") & (rows["derived_from"] == "Table 2.2")]
    assert len(from_table) > 0 and from_table["open_ended"].all()


def test_the_figure_draws_one_labelled_row_per_event(events, periods):
    fig = timeline.timeline_figure(timeline.timeline_values(events, periods))
    assert isinstance(fig, matplotlib.figure.Figure)
    # long labels are wrapped onto two lines to keep the chart narrow; the words are unchanged
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    assert labels == list(timeline.timeline_rows(events)["label"])


# --- two values for one thing ----------------------------------------------------------------------
def test_the_leadership_qualities_framework_is_reported_with_both_years(events):
    years = timeline.same_label_different_years(events)["Leadership Qualities Framework"]
    assert len(years) == 2 and years[0] < years[1]
    drawn = timeline.timeline_rows(events)
    lqf = drawn[drawn["name"] == "Leadership Qualities Framework"]
    assert sorted(lqf["start_year"]) == years and lqf["conflict"].all()


def test_the_first_scheme_has_two_names_and_its_aims_predate_its_first_intake(programmes, events):
    scheme = timeline.scheme_1956(programmes, events)
    assert scheme["table_name"] != scheme["text_name"]
    assert scheme["aims_year"] < scheme["start_year"]


def test_the_nicholson_challenge_dates_of_text_and_table_differ_but_overlap(events, periods):
    nich = timeline.nicholson_readings(events, periods)
    assert (nich["text_start"], nich["text_end"]) != (nich["table_start"], nich["table_end"])
    assert nich["overlap"][0] <= nich["overlap"][1]


def test_the_conflicts_table_gives_two_different_readings_per_row(events, periods, programmes):
    table = timeline.conflicts_table(events, periods, programmes)
    assert len(table) == 4
    assert (table["One reading"] != table["Other reading"]).all()


# --- broken inputs ---------------------------------------------------------------------------------
def test_if_the_two_framework_years_agreed_the_conflict_would_disappear(data_copy):
    row = row_number(data_copy, "timeline_events.csv", event_id="policy_2011_leadership_qualities_framework")
    data_copy.set_cell("timeline_events.csv", row, "start_year", "2004")
    broken = validate(data_copy.folder)
    events = broken["timeline_events"]
    assert "Leadership Qualities Framework" not in timeline.same_label_different_years(events)
    assert (
        len(timeline.conflicts_table(events, broken["nhs_management_periods"], broken["training_programmes"]))
        == 3
    )


def test_an_item_marked_as_printed_loses_its_paraphrase_mark(data_copy, periods):
    row = row_number(
        data_copy, "nhs_management_periods.csv", period="2012–2016", column="management_changes", item_no="4"
    )
    data_copy.set_cell("nhs_management_periods.csv", row, "text_status", "as printed")
    broken = validate(data_copy.folder)["nhs_management_periods"]
    before = timeline.management_changes_table(periods)
    after = timeline.management_changes_table(broken)
    assert before.iloc[-1]["Management changes"].endswith(timeline.PARAPHRASE_MARK)
    assert not after.iloc[-1]["Management changes"].endswith(timeline.PARAPHRASE_MARK)


def test_a_changed_start_year_moves_the_programme_on_the_timeline(data_copy, events):
    row = row_number(
        data_copy, "timeline_events.csv", event_id="programme_1986_graduate_management_training_scheme"
    )
    data_copy.set_cell("timeline_events.csv", row, "start_year", "1987")
    moved = timeline.timeline_rows(validate(data_copy.folder)["timeline_events"]).set_index("event_id")
    assert moved.loc["programme_1986_graduate_management_training_scheme", "left"] == 1987
    assert (
        timeline.timeline_rows(events)
        .set_index("event_id")
        .loc["programme_1986_graduate_management_training_scheme", "left"]
        == 1986
    )


def test_a_year_outside_the_books_span_is_refused_before_anything_is_drawn(data_copy):
    row = row_number(data_copy, "timeline_events.csv", event_id="policy_2014_five_year_forward_view")
    data_copy.set_cell("timeline_events.csv", row, "start_year", "2020")
    with pytest.raises(DataErrors):
        validate(data_copy.folder)
