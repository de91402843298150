"""What the chapter 'Recommendations and limitations' promises: every sub-point is shown under
every level it addresses and under no other; levels inferred from the organisation named are
never presented as stated; a sub-point that names no level gets none; the sub-point that breaks
off is marked; the limitations of both sources are listed, with the book's restatements paired
with the report's originals."""

import matplotlib.figure
import pytest

from nhsreport.analyses import recommendations as rec
from nhsreport.data import load as data_module


@pytest.fixture(scope="module")
def points(data):
    return data["recommendation_points"]


def row_of(data_copy, rec_no, point_no):
    for number, row in enumerate(data_copy.rows("recommendation_points.csv"), start=1):
        if row["rec_no"] == str(rec_no) and row["point_no"] == str(point_no):
            return number
    raise KeyError((rec_no, point_no))


def reload(data_copy):
    return data_module.validate(data_copy.folder)


# --- levels -------------------------------------------------------------------------------------


def test_every_sub_point_appears_once_under_each_level_it_addresses(points):
    long = rec.point_levels(points)
    assert not long.duplicated(["point", "level"]).any()
    for p in points.itertuples():
        pid = rec.point_id(p.rec_no, p.point_no)
        expected = rec.parse_levels(p.levels, p.level_basis) or [rec.NO_LEVEL]
        assert list(long.loc[long["point"] == pid, "level"]) == expected


def test_a_sub_point_without_a_named_level_is_given_none(points):
    long = rec.point_levels(points)
    unlevelled = long[long["level"] == rec.NO_LEVEL]
    assert (unlevelled["basis"] == rec.NOT_STATED).all()
    assert set(unlevelled["point"]) == {
        rec.point_id(p.rec_no, p.point_no) for p in points.itertuples() if p.level_basis == "not stated"
    }


def test_inferred_levels_are_never_counted_as_stated(points):
    long = rec.point_levels(points)
    basis_of = {rec.point_id(p.rec_no, p.point_no): p.level_basis for p in points.itertuples()}
    for row in long.itertuples():
        assert row.basis == rec.BASIS[basis_of[row.point]]
    totals = rec.level_totals(points)
    for _level, t in totals.items():
        assert t["points"] == t[rec.STATED] + t[rec.INFERRED] + t[rec.MIXED] + t[rec.NOT_STATED]


def test_the_matrix_and_the_totals_agree(points, data):
    matrix = rec.level_matrix(points, data["recommendations"])
    totals = rec.level_totals(points)
    for level in (*rec.LEVELS, rec.NO_LEVEL):
        assert int(matrix[level].sum()) == totals[level]["points"]
    # a sub-point aimed at several levels is counted under each, so the cells can exceed the points
    assert int(matrix.values.sum()) == sum(
        max(len(rec.parse_levels(p.levels, p.level_basis)), 1) for p in points.itertuples()
    )


def test_the_table_lists_each_sub_point_under_its_levels_with_its_mark(points, data):
    table = rec.recommendations_table(data["recommendations"], points).set_index("No.")
    for row in rec.point_levels(points).itertuples():
        cell = table.loc[row.rec_no, rec.LEVEL_LABELS[row.level]]
        assert rec.point_label(row.point, row.basis, row.truncated) in cell.split(", ")
    assert list(table["Sub-points"]) == [int((points["rec_no"] == n).sum()) for n in table.index]


def test_local_is_read_as_trust_only_where_the_data_say_so(points):
    local = rec.local_read_as_trust(points)
    long = rec.point_levels(points)
    for pid in local:
        assert "trust" in set(long.loc[long["point"] == pid, "level"])


def test_a_level_given_to_a_sub_point_that_names_none_is_refused(data_copy):
    data_copy.set_cell("recommendation_points.csv", row_of(data_copy, 4, 1), "levels", "national")
    with pytest.raises(ValueError, match="not stated"):
        rec.point_levels(reload(data_copy)["recommendation_points"])


def test_moving_a_sub_point_to_another_level_moves_it_in_the_matrix(data_copy, data, points):
    before = rec.level_matrix(points, data["recommendations"])
    assert rec.only_level(before, "national") == [7]
    data_copy.set_cell("recommendation_points.csv", row_of(data_copy, 7, 1), "levels", "trust")
    changed = reload(data_copy)
    after = rec.level_matrix(changed["recommendation_points"], changed["recommendations"])
    assert after.loc[7, "national"] == before.loc[7, "national"] - 1
    assert after.loc[7, "trust"] == before.loc[7, "trust"] + 1
    assert 7 not in rec.only_level(after, "national")


# --- the sub-point that breaks off -----------------------------------------------------------------


def test_the_truncated_sub_point_is_marked_in_both_tables_and_the_figure(points, data):
    truncated = rec.truncated_points(points)
    assert truncated == ["2.2"]
    table = rec.recommendations_table(data["recommendations"], points)
    assert any("2.2…" in str(cell) for cell in table.values.ravel())
    assert "2.2 (breaks off)" in list(rec.points_table(points)["Point"])
    fig = rec.levels_figure(rec.levels_values(data["recommendations"], points))
    assert "2.2…" in [t.get_text() for t in fig.axes[0].texts]


def test_flagging_another_sub_point_as_truncated_is_reported(data_copy):
    data_copy.set_cell("recommendation_points.csv", row_of(data_copy, 1, 1), "truncated", "true")
    assert rec.truncated_points(reload(data_copy)["recommendation_points"]) == ["1.1", "2.2"]


# --- numbering ------------------------------------------------------------------------------------


def test_the_recommendations_and_their_sub_points_are_numbered_without_gaps(data, points):
    counts = rec.check_numbering(data["recommendations"], points)
    assert sum(counts.values()) == len(points)
    assert len(counts) == len(data["recommendations"])


def test_a_missing_sub_point_is_refused(data, points):
    with pytest.raises(ValueError, match="sub-points"):
        rec.check_numbering(
            data["recommendations"], points[~((points["rec_no"] == 6) & (points["point_no"] == 2))]
        )


# --- limitations -----------------------------------------------------------------------------------


def test_every_stated_limitation_is_listed_report_first(data):
    limitations = data["limitations"]
    table = rec.limitations_table(limitations)
    assert len(table) == len(limitations)
    sources = list(table["Source"])
    assert sources == sorted(sources, key=lambda s: s != rec.SOURCE_LABELS["001"])
    report = table[table["Source"] == rec.SOURCE_LABELS["001"]]
    assert list(report["No."]) == sorted(report["No."])


def test_the_pairs_of_restated_limitations_exist_and_point_both_ways(data):
    limitations = data["limitations"]
    keys = set(zip(limitations["source"], (int(n) for n in limitations["limitation_no"])))
    table = rec.limitations_table(limitations)
    for book, report in rec.COUNTERPARTS.items():
        assert book in keys and report in keys
        assert rec.counterpart(*book) == f"{rec.SOURCE_LABELS[report[0]]} no. {report[1]}"
        assert rec.counterpart(*report) == f"{rec.SOURCE_LABELS[book[0]]} no. {book[1]}"
    counts = rec.limitation_counts(limitations)
    assert counts["000"]["restated"] == counts["001"]["restated"] == len(rec.COUNTERPARTS)
    assert (table["Restated in"] != "–").sum() == 2 * len(rec.COUNTERPARTS)


def test_a_limitation_from_an_unknown_source_is_refused(data):
    limitations = data["limitations"].copy()
    limitations.loc[0, "source"] = "002"
    with pytest.raises(ValueError, match="unknown sources"):
        rec.limitations_table(limitations)


def test_the_figure_is_drawn(data, points):
    fig = rec.levels_figure(rec.levels_values(data["recommendations"], points))
    assert isinstance(fig, matplotlib.figure.Figure)
    labels = [t.get_text() for t in fig.axes[0].texts]
    # every (sub-point, level) pair is one box
    assert sum(label.rstrip("…") in set(rec.point_levels(points)["point"]) for label in labels) == len(
        rec.point_levels(points)
    )


# --- qualifiers kept ------------------------------------------------------------------------------
# The NIHR report's own qualifier for each sub-point whose meaning turns on one, transcribed from
# its text (pp. 102-104, source lines in brackets), with the wordings that would invert it. A
# paraphrase must keep the qualifier's sense (one of the accepted wordings) and use none of the
# inverting ones: "generic leadership training" for "context-specific" reverses recommendation 1.
QUALIFIERS = {
    # (rec, point): (accepted wordings, inverting wordings)
    (1, 2): (
        ["not let their focus on leadership push aside management"],
        ["instead of management", "rather than management"],
    ),  # balance (25-26)
    (1, 3): (["context-specific"], ["generic", "general-purpose", "context-free"]),  # (27-30)
    (3, 1): (
        ["match the method to the local situation"],
        ["one method", "same method", "universal"],
    ),  # tailor (38-41)
    (4, 1): (["strategic rather than an operational"], ["operational rather than"]),  # (55-57)
    (4, 2): (["rather than as theory detached from practice"], ["abstract theory rather than"]),  # (58-60)
    (5, 2): (
        ["both formal and informal"],
        ["formal rather than informal", "only formal", "informal rather than formal"],
    ),  # (68-71)
    (6, 2): (["rather than around operational needs"], ["around operational needs rather than"]),
}


def inverted_qualifiers(points):
    """'rec.point: ...' for every registered sub-point whose paraphrase drops or inverts its qualifier."""
    paraphrases = {(int(p.rec_no), int(p.point_no)): p.paraphrase.lower() for p in points.itertuples()}
    problems = []
    for (rec_no, point_no), (kept, inverting) in QUALIFIERS.items():
        text = paraphrases[(rec_no, point_no)]
        if not any(word.lower() in text for word in kept):
            problems.append(f"{rec_no}.{point_no}: lost the qualifier {kept}")
        problems += [
            f"{rec_no}.{point_no}: inverts it with {word!r}" for word in inverting if word.lower() in text
        ]
    return problems


def test_no_paraphrase_drops_or_inverts_its_sources_qualifier(points):
    assert inverted_qualifiers(points) == []


def test_the_qualifier_check_catches_generic_for_context_specific(points):
    broken = points.copy()
    at = (broken["rec_no"].astype(int) == 1) & (broken["point_no"].astype(int) == 3)
    broken.loc[at, "paraphrase"] = broken.loc[at, "paraphrase"].str.replace("context-specific", "generic")
    assert inverted_qualifiers(broken) == [
        "1.3: lost the qualifier ['context-specific']",
        "1.3: inverts it with 'generic'",
    ]


def test_the_level_bases_are_exhaustive_and_add_up_to_the_sub_points(points):
    counts = rec.basis_by_point(points)
    assert set(counts) == set(rec.BASIS.values())
    assert sum(counts.values()) == len(points)
    assert counts[rec.MIXED] >= 1  # 6.2, partly stated and partly inferred
