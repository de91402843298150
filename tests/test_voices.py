"""What the chapter 'The study's voices' promises about the quotation attributions.

The attributions are counted exactly as printed; conflicting labels are never resolved silently,
they give ranges; and every inconsistency is found by code, so breaking a label changes the result.
"""

import re

import nbformat
import pytest

from nhsreport import paths
from nhsreport.analyses import voices
from nhsreport.data.load import validate

NOTEBOOK = paths.CHAPTERS_DIR / "voices.ipynb"


@pytest.fixture(scope="module")
def read(data):
    return voices.attributions(data)


@pytest.fixture(scope="module")
def people(read):
    return voices.people(read)


def test_every_attribution_text_matches_its_recorded_labels(data):
    quotes = data["interviewee_quotes"]
    for row in quotes.itertuples(index=False):
        match = re.fullmatch(r"\((\w+), (\w+), (\w+)\)\.?", row.attribution_printed)
        assert match, row.quote_id
        assert match.groups() == (row.pseudonym, row.cohort_printed, row.trust_printed), row.quote_id


def test_every_attribution_is_read_either_as_printed_or_reversed(read):
    assert set(read["reading"]) <= {voices.AS_PRINTED, voices.REVERSED}
    assert (read["reading"] == voices.REVERSED).sum() == 1
    # where the register filled in codes, the reading agrees with them
    coded = read[read["cohort"] != ""]
    assert (coded["cohort"] == coded["read_cohort"]).all() and (coded["trust"] == coded["read_trust"]).all()


def test_cell_counts_are_ranges_that_bracket_the_number_of_pseudonyms(data, people):
    by_group = voices.voices_by_group(people, data["sample_participants"])
    assert (by_group["quoted_min"] <= by_group["quoted_max"]).all()
    low, high = voices.people_quoted_bounds(people)
    assert by_group["quoted_min"].sum() <= low <= high <= by_group["quoted_max"].sum()
    assert low == data["interviewee_quotes"]["pseudonym"].nunique()


def test_a_name_with_conflicting_labels_is_counted_under_each_printed_label_in_the_upper_count(data, people):
    by_group = voices.voices_by_group(people, data["sample_participants"]).set_index(["trust", "cohort"])
    conflicted = people[people["conflicting"]]
    assert sorted(conflicted["pseudonym"]) == ["Christian", "Glen"]
    for cells in conflicted["cells"]:
        for cell in cells:
            assert by_group.loc[cell, "quoted_max"] > by_group.loc[cell, "quoted_min"]


def test_quotations_by_chapter_cover_every_chapter_and_add_up(data, read):
    per_chapter = voices.quotes_by_chapter(
        read, voices.chapter_range(data), {"acute": "Acute", "care": "Care", "specialist": "Specialist"}
    )
    assert list(per_chapter["Chapter"]) == list(range(1, 9))
    assert per_chapter["Attributions"].sum() == len(read)
    assert per_chapter["Heard for the first time"].sum() == read["pseudonym"].nunique()
    assert (per_chapter[["Acute", "Care", "Specialist"]].sum(axis=1) == per_chapter["Attributions"]).all()


def test_the_most_quoted_list_keeps_ties(people):
    top = voices.most_quoted(people, top=2)
    assert len(top) >= 2
    assert (top["attributions"] >= top["attributions"].iloc[1]).all()
    assert not (
        people[~people["pseudonym"].isin(top["pseudonym"])]["attributions"] >= top["attributions"].min()
    ).any()


def test_inconsistencies_found_are_those_the_codebook_describes(data):
    found = voices.voice_inconsistencies(data)
    assert list(found.columns) == ["pseudonym", "kind", "detail", "pages"]
    kinds = set(zip(found["pseudonym"].str.split(", ").str[0], found["kind"]))
    assert ("Glen", "two management groups") in kinds and ("Glen", "two trusts") in kinds
    assert ("Christian", "two management groups") in kinds
    assert ("Annette", "labels in reverse order") in kinds
    overfull = found[found["kind"].str.startswith("more names than managers")]
    assert any("Care × General" in d for d in overfull["detail"])


def test_correcting_a_conflicting_label_removes_the_conflict_and_the_overcount(data_copy):
    # q-107 prints Glen as General/Acute; print it as Clinical/Care like his other attributions
    for column, value in (
        ("cohort_printed", "Clinical"),
        ("trust_printed", "Care"),
        ("cohort", "clinical"),
        ("trust", "care"),
    ):
        data_copy.set_cell("interviewee_quotes.csv", 107, column, value)
    found = voices.voice_inconsistencies(validate(data_copy.folder))
    assert "Glen" not in ", ".join(found["pseudonym"])
    acute_general = found[found["detail"].str.startswith("Acute × General")]
    assert acute_general["detail"].iloc[0].startswith("Acute × General: 9 names")  # was 10; Christian remains


def test_a_label_that_is_not_a_code_is_reported(data_copy):
    data_copy.set_cell("interviewee_quotes.csv", 1, "trust_printed", "Acutee")
    found = voices.voice_inconsistencies(validate(data_copy.folder))
    row = found[found["kind"] == "labels that are not codes"]
    page = data_copy.rows("interviewee_quotes.csv")[0]["page"]
    assert list(row["pseudonym"]) == ["Felix"] and f"on p. {page} " in row["detail"].iloc[0]


def test_the_notebook_prose_types_no_numbers():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"\{(glue:text|glue:figure|cite:[tp]|download|numref)\}`[^`]*`", "", cell.source)
        text = re.sub(r"^```\{glue:figure\}.*$|^:name:.*$", "", text, flags=re.M)
        text = re.sub(r"\b(pp?\.|Table|Tables|Figure|chapters?)\s+[\d.–-]+( to \d+)?", "", text)
        assert not re.search(r"\d", text), re.findall(r".{30}\d.{10}", text)
