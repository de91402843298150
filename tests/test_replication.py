"""The replication kit's aggregation side: the respondent file's gate, the aggregation shared with
the study chapters, disclosure control (with an interval attack) and the round trip through a
SYNTHETIC witness file (tests/replication_witness.py)."""

import json

import numpy as np
import pandas as pd
import pytest
from replication_witness import NAME, random_respondents, witness_frame, write_witness

from nhsreport.data.errors import DataErrors
from nhsreport.data.load import load_data
from nhsreport.replication import codebook, disclosure
from nhsreport.replication.aggregate import TABLES, aggregate
from nhsreport.replication.respondents import SCHEMA, TEMPLATE, fields, read_respondents
from nhsreport.replication.study import study_tables


@pytest.fixture(scope="module")
def witness(tmp_path_factory):
    return write_witness(tmp_path_factory.mktemp("witness"), load_data())


def write(tmp_path, frame, name="respondents.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def refusal(path, **options):
    with pytest.raises(DataErrors) as caught:
        read_respondents(path, **options)
    return caught.value.errors


def only_rule(errors, rule, column=None, rows=None):
    assert [e.rule for e in errors] == [rule], [e.describe() for e in errors]
    error = errors[0]
    assert error.column == column
    assert error.row == rows
    assert str(error.describe()).count("\n") == 0
    return error


# --- format --------------------------------------------------------------------------------------


def test_the_codebook_is_generated_from_the_schema():
    assert codebook.CODEBOOK.read_text(encoding="utf-8") == codebook.codebook()


def test_frictionless_accepts_the_schema_and_the_template():
    from frictionless import Resource, Schema

    Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    report = Resource(
        path=TEMPLATE.name,
        basepath=str(TEMPLATE.parent),
        schema=Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8"))),
    ).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


def test_the_template_holds_every_column_and_passes_the_gate_below_its_threshold():
    frame = read_respondents(TEMPLATE, min_cell=1)
    assert list(frame.columns) == [f["name"] for f in fields()]
    assert pd.read_csv(TEMPLATE).columns.tolist() == [f["name"] for f in fields()]


def test_one_boolean_column_per_column_of_table_5_2():
    printed = set(load_data()["nonclinical_quals_column_totals"]["column"])
    mapped = {f["table52Column"] for f in fields() if f["type"] == "boolean"}
    assert mapped == printed
    assert all(f["name"].startswith("qual_") for f in fields() if f["type"] == "boolean")


# --- bad input -----------------------------------------------------------------------------------


def test_the_witness_passes(witness):
    assert len(read_respondents(witness)) == 68


def test_unknown_code(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False)
    frame.loc[2, "sex"] = "Female"
    error = only_rule(refusal(write(tmp_path, frame)), "allowed values", "sex", "3")
    assert "Female" not in error.describe()  # no cell value reaches a message


def test_duplicated_id(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False)
    frame.loc[9, "respondent_id"] = frame.loc[0, "respondent_id"]
    error = only_rule(refusal(write(tmp_path, frame)), "unique", "respondent_id", "10")
    assert frame.loc[0, "respondent_id"] not in error.describe()


def test_a_name_is_not_an_id(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False)
    frame.loc[4, "respondent_id"] = "JaneSmith"
    only_rule(refusal(write(tmp_path, frame)), "pattern", "respondent_id", "5")


@pytest.mark.parametrize(
    "value, rule", [("-1", "minimum"), ("71", "maximum"), ("ten", "type number"), ("nan", "type number")]
)
def test_negative_or_impossible_years(tmp_path, witness, value, rule):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False)
    frame.loc[0, "years_in_nhs"] = value
    only_rule(refusal(write(tmp_path, frame)), rule, "years_in_nhs", "1")


def test_more_years_in_post_than_in_the_organisation(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False)
    frame.loc[6, "years_in_post"] = "30"
    only_rule(refusal(write(tmp_path, frame)), "years in post within organisation", "years_in_post", "7")


def test_an_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    only_rule(refusal(path), "header row")


def test_a_header_only(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(TEMPLATE.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    error = only_rule(refusal(path), "minimum respondents")
    assert "no respondents" in error.detail


def test_not_utf8(tmp_path, witness):
    path = tmp_path / "latin1.csv"
    path.write_bytes(witness.read_bytes().replace(b"acute,acute", "Acut\u00e9,acute".encode("latin-1"), 1))
    error = only_rule(refusal(path), "UTF-8 encoding")
    assert "row 1" in error.detail


def test_an_extra_column_is_refused_and_the_message_says_why(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False).assign(name="")
    error = only_rule(refusal(write(tmp_path, frame)), "unknown column", "name")
    assert "no names and no free text leave the respondent's organisation" in error.detail


def test_fewer_respondents_than_the_threshold(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False).head(4)
    error = only_rule(refusal(write(tmp_path, frame)), "minimum respondents")
    assert "could identify people" in error.detail
    assert len(read_respondents(write(tmp_path, frame), min_cell=4)) == 4


def test_an_organisation_that_a_spreadsheet_would_run_as_a_formula(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False)
    frame.loc[7, "organisation"] = '=HYPERLINK("http://x")'
    only_rule(refusal(write(tmp_path, frame)), "pattern", "organisation", "8")


def test_a_control_character(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False)
    frame.loc[1, "organisation"] = "acute\u202e"
    errors = refusal(write(tmp_path, frame))
    assert ("no control characters", "organisation", "2") in [(e.rule, e.column, e.row) for e in errors]


def test_a_line_break_inside_a_cell(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False)
    frame.loc[3, "organisation"] = "acute\nJane Smith said"
    errors = refusal(write(tmp_path, frame))
    assert ("no control characters", "organisation", "4") in [(e.rule, e.column, e.row) for e in errors]


def test_a_row_with_too_few_or_too_many_cells(tmp_path, witness):
    lines = witness.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0]
    lines[5] += ",extra"
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    only_rule(refusal(path), "cells per row", None, "2, 5")


def test_a_symlink_and_a_folder_are_refused(tmp_path, witness):
    link = tmp_path / "link.csv"
    link.symlink_to(witness)
    only_rule(refusal(link), "regular file")
    only_rule(refusal(tmp_path), "regular file")


def test_an_oversized_file_is_refused(tmp_path, witness, monkeypatch):
    from nhsreport.replication import respondents

    monkeypatch.setattr(respondents, "MAX_BYTES", witness.stat().st_size - 1)
    only_rule(refusal(witness), "bounded size")


def test_many_bad_rows_make_one_line_per_rule(tmp_path, witness):
    frame = pd.read_csv(witness, dtype=str, keep_default_na=False)
    frame["cohort"] = "manager"
    error = only_rule(
        refusal(write(tmp_path, frame)), "allowed values", "cohort", "1, 2, 3, 4, 5 and 63 more"
    )
    assert error.describe().startswith(str(tmp_path))


# --- aggregation and the round trip -------------------------------------------------------------


def test_many_respondents_validate_and_aggregate_quickly(tmp_path):
    """A guard only (the benchmark measures 100,000 rows): 20,000 rows over 500 organisations,
    with a bound five times what the 10 s for 100,000 rows allows."""
    import time

    path = write(tmp_path, random_respondents(20_000, 500))
    start = time.perf_counter()
    tables = aggregate(read_respondents(path))
    assert time.perf_counter() - start < 10
    assert tables["sample"]["count"].sum() == 20_000 and len(tables["sample"]) == 500 * 3


def test_every_organisation_and_category_appears_with_zeros(witness):
    tables = aggregate(read_respondents(witness))
    assert tuple(tables) == TABLES
    assert len(tables["sex"]) == 3 * 3 * 4 and (tables["sex"]["count"] == 0).sum() > 0
    assert list(tables["tenure"].columns) == ["organisation", "measure", "mean_years", "n"]


def test_the_synthetic_witness_reproduces_the_printed_tables(witness):
    mine = aggregate(read_respondents(witness))
    study = study_tables()
    for name in ("sample", "sex", "age", "clinical_backgrounds"):
        pd.testing.assert_frame_equal(mine[name], study[name], check_dtype=False)
    tenure = mine["tenure"].assign(mean_years=mine["tenure"]["mean_years"].round(2))
    pd.testing.assert_frame_equal(tenure, study["tenure"], check_dtype=False)
    training = mine["training"].merge(study["training"], on=["organisation", "cohort", "training_level"])
    assert len(training) == 27
    assert ((training["low"] <= training["count"]) & (training["count"] <= training["high"])).all()
    for key, bars in (("organisation", "cohort"), ("cohort", "organisation")):
        sums = mine["training"].groupby([key, "training_level"], as_index=False)["count"].sum()
        printed = study["training"][study["training"][bars] == "all"]
        merged = sums.merge(printed, on=[key, "training_level"])
        assert len(merged) == 9 and merged.eval("low <= count <= high").all()


# --- disclosure control ------------------------------------------------------------------------


TYPES = {
    "North": "acute",
    "South": "acute",
    "East": "care",
    "Small": "care",
    "West": "other",
    "Tiny": "other",
}


def random_tables(seed, n=150):
    return aggregate(random_frame(seed, n))


def random_frame(seed, n=150):
    rng = np.random.default_rng(seed)
    organisations = rng.choice(
        ["North", "South", "East", "West", "Small", "Tiny"], n, p=[0.3, 0.25, 0.2, 0.15, 0.07, 0.03]
    )
    frame = pd.DataFrame({"respondent_id": [f"id-{i}" for i in range(n)], "organisation": organisations})
    for field in fields():
        if "enum" in field.get("constraints", {}) and field["name"] != "organisation_type":
            frame[field["name"]] = pd.Categorical(
                rng.choice(field["constraints"]["enum"], n), categories=field["constraints"]["enum"]
            )
    frame["years_in_post"] = np.where(rng.random(n) < 0.9, rng.uniform(0, 10, n), np.nan)
    for column in ("years_in_organisation", "years_in_nhs", "years_outside_nhs"):
        frame[column] = rng.uniform(0, 20, n)
    return frame


def nested_levels(frame):
    """The tables of one respondent frame for the whole sample, by organisation type (TYPES) and
    by organisation, and each organisation's groups, as the book publishes them."""
    levels = {
        "all": aggregate(frame.assign(organisation="all")),
        "types": aggregate(frame.assign(organisation=frame["organisation"].map(TYPES))),
        "yours": aggregate(frame),
    }
    present = set(frame["organisation"])
    parents = {
        "types": {t: {"all": "all"} for t in {TYPES[o] for o in present}},
        "yours": {o: {"all": "all", "types": TYPES[o]} for o in sorted(present)},
    }
    return levels, parents


def pins(levels, protected, parents, min_cell=5):
    """The suppressed counts the joint interval attack pins: its interval [low, high] over
    everything published in all count tables at all levels is narrower than one value, or lies
    inside 1 .. min_cell - 1 (the cell is then known to be a small count)."""
    found = disclosure.interval_attack(levels, protected, parents, min_cell)
    for low, high, value in found.values():
        assert low - 1e-6 <= value <= high + 1e-6  # the LP is right: the truth is feasible
    return [cell for cell, (low, high, _) in found.items() if disclosure.pinned(low, high, min_cell)]


def mean_pins(levels, protected, parents, min_cell=5):
    """The suppressed means whose n the attack pins, or whose feasible range is under MEAN_WIDTH."""
    found = disclosure.mean_attack(levels, protected, parents, min_cell)
    return [
        cell
        for cell, (low, high, mean_low, mean_high) in found.items()
        if disclosure.pinned(low, high, min_cell) or mean_high - mean_low < disclosure.MEAN_WIDTH
    ]


CRAFTED = {  # SYNTHETIC, crafted: organisation -> group -> sex -> managers
    "North": {
        "clinical": {"female": 3},
        "functional": {"female": 5, "male": 5},
        "general": {"female": 5, "male": 5},
    },
    "South": {
        "clinical": {"female": 5, "male": 5},
        "functional": {"female": 5, "male": 5},
        "general": {"male": 10},
    },
    "East": {
        "clinical": {"female": 5, "male": 5},
        "functional": {"male": 10},
        "general": {"female": 5, "male": 5},
    },
}


def crafted_frame():
    """SYNTHETIC, crafted: in North, 3 clinical managers (all women) beside groups of 10 whose
    sex rows are all 5 or 0. Protected table by table, the sample table's partner of North's 3 is
    a group whose sex row is published in full, which gives the partner's count and so the 3
    away; only protection across the tables holds."""
    rows = [
        (organisation, cohort, sex)
        for organisation, cohorts in CRAFTED.items()
        for cohort, sexes in cohorts.items()
        for sex, n in sexes.items()
        for _ in range(n)
    ]
    frame = pd.DataFrame(rows, columns=["organisation", "cohort", "sex"])
    frame["respondent_id"] = [f"crafted-{i}" for i in range(len(frame))]
    for field in fields():  # every other code the same: its tables are one column of published totals
        enum = field.get("constraints", {}).get("enum")
        if not enum or field["name"] in ("organisation", "organisation_type"):
            continue
        column = frame[field["name"]] if field["name"] in frame else [enum[0]] * len(frame)
        frame[field["name"]] = pd.Categorical(column, categories=enum)
    for column in ("years_in_post", "years_in_organisation", "years_in_nhs", "years_outside_nhs"):
        frame[column] = 5.0
    return frame


def with_margins_ignored(monkeypatch, levels, parents):
    """Joint protection turned off: each table protected as if no other table shared its totals
    (the attack afterwards still knows they do)."""
    monkeypatch.setattr(disclosure, "margin_equations", lambda cells, levels: [])
    protected = disclosure.protect_levels(levels, parents)
    monkeypatch.undo()
    return protected


@pytest.mark.parametrize("source", ["random 150", "crafted"])
def test_no_suppressed_count_can_be_recovered_from_all_tables_together(source):
    frame = random_frame(0) if source == "random 150" else crafted_frame()
    levels, parents = nested_levels(frame)
    protected = disclosure.protect_levels(levels, parents)
    assert any(protected["yours"][name]["suppressed"].any() for name in ("sample", "sex"))
    assert pins(levels, protected, parents) == []
    assert protected["yours"]["sample"].attrs["unaudited"] == 0


def test_tables_protected_one_by_one_can_be_set_beside_each_other(monkeypatch):
    levels, parents = nested_levels(crafted_frame())
    apart = with_margins_ignored(monkeypatch, levels, parents)
    assert pins(levels, apart, parents)


def test_levels_protected_apart_can_be_set_beside_each_other():
    levels, parents = nested_levels(random_frame(0))
    apart = {level: disclosure.protect(tables) for level, tables in levels.items()}
    assert pins(levels, apart, parents)


def test_every_secondary_suppression_is_needed():
    """Publish any one secondary cell again and the attack pins a threshold cell: nothing is
    suppressed beyond need. Uses the attack's shortcut, which skips only cells it has already
    seen take values that cannot pin them."""
    levels, parents = nested_levels(random_frame(0))
    protected = disclosure.protect_levels(levels, parents)
    cells = disclosure.Cells(levels, disclosure.COUNT_TABLES)
    values = cells.column(levels, "count")
    hidden = cells.column(protected, "suppressed") > 0
    first = (values > 0) & (values < 5)
    matrix, totals = disclosure.as_matrix(
        disclosure.count_equations(cells, levels, parents, values), cells.size
    )
    secondary = np.flatnonzero(hidden & ~first)
    assert len(secondary)
    for cell in secondary:
        trial = hidden.copy()
        trial[cell] = False
        found, _ = disclosure.count_attack(matrix, totals, values, trial, 5, limit=np.inf)
        assert any(first[c] and disclosure.pinned(*found[c], 5) for c in found), disclosure.where(cells, cell)


def test_a_one_row_table_keeps_what_it_can_show():
    """With 150 respondents the whole sample's age row (five cells, none small) is published."""
    levels, parents = nested_levels(random_frame(0))
    whole_age = disclosure.protect_levels(levels, parents)["all"]["age"]
    assert not whole_age["suppressed"].any()
    assert whole_age["count"].sum() == 150


def test_a_suppressed_mean_cannot_be_worked_out_from_coarser_means():
    """SYNTHETIC: North's means over 3 respondents; the means and n's of its type and of the whole
    sample are published. Protected level by level, North's partner mean may sit in another type,
    and North's type's mean gives North's away; protected together it cannot."""
    frame = random_frame(2)
    position = np.arange(len(frame))
    frame["organisation"] = np.where(position < 3, "North", np.where(position % 2, "South", "East"))
    levels, parents = nested_levels(frame)
    protected = disclosure.protect_levels(levels, parents)
    assert protected["yours"]["tenure"].query("organisation == 'North'")["suppressed"].all()
    assert mean_pins(levels, protected, parents) == []
    apart = {level: disclosure.protect(tables) for level, tables in levels.items()}
    assert mean_pins(levels, apart, parents)


def test_the_attack_finds_a_lone_suppressed_cell(monkeypatch):
    levels, parents = nested_levels(random_frame(0))
    monkeypatch.setattr(disclosure, "line_rule", lambda matrix, values, hidden, spent: hidden.copy())
    monkeypatch.setattr(
        disclosure, "protected_cells", lambda matrix, values, first, attack, spent: (first, spent)
    )
    protected = disclosure.protect_levels(levels, parents)
    monkeypatch.undo()
    assert pins(levels, protected, parents)


def test_the_threshold_and_the_suppressed_column():
    tables = random_tables(1)
    protected = disclosure.protect(tables, min_cell=5)
    for name in tables:
        table, value = protected[name], disclosure.VALUE[name]
        original = tables[name][value if name != "tenure" else "n"]
        small = (original > 0) & (original < 5)
        assert table.loc[small.to_numpy(), "suppressed"].all()
        assert table.loc[table["suppressed"], value].isna().all()
        assert (
            table.loc[~table["suppressed"], value].notna().sum()
            == (~table["suppressed"] & tables[name][value].notna()).sum()
        )
    off = disclosure.protect(tables, min_cell=1)
    assert not any(t["suppressed"].any() for t in off.values())


def test_the_report_counts_what_was_suppressed_and_why():
    tables = random_tables(3)
    protected = disclosure.protect(tables)
    report = disclosure.suppression_report(protected)
    assert set(report["rule"]) == {"threshold", "secondary"}
    for name, table in protected.items():
        assert report.loc[report["table"] == name, "cells"].sum() == table["suppressed"].sum()
        original = tables[name]["n" if name == "tenure" else "count"]
        small = int(((original > 0) & (original < 5)).sum())
        by_rule = report[report["table"] == name].set_index("rule")["cells"]
        assert by_rule["threshold"] == small


def test_no_id_reaches_the_tables_or_the_files(tmp_path, witness):
    ids = set(witness_frame(load_data())["respondent_id"])
    protected = disclosure.protect(aggregate(read_respondents(witness)))
    for name, table in protected.items():
        disclosure.write_table(table, tmp_path / f"{name}.csv")
        text = (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
        assert not any(i in text for i in ids)
        assert set(text.splitlines()[1].split(",")[-1:]) <= {"true", "false"}
    report = disclosure.suppression_report(protected).to_csv()
    assert not any(i in report for i in ids)
    assert NAME not in str(tmp_path)


def test_the_methods_text_names_the_threshold_and_acro():
    text = disclosure.methods(7)
    assert "from 1 to 6" in text and "fewer than 7 respondents" in text
    assert "ACRO" in text and "{" not in text


def test_a_group_total_is_shown_only_where_its_sample_cell_is():
    """The whole sample's shares are over each group's total, which is that group's cell of the
    sample table: where protection hides that cell, the total goes too."""
    from nhsreport.replication import book

    levels, parents = nested_levels(random_frame(0))
    protected = disclosure.protect_levels(levels, parents)["all"]
    protected["sample"].loc[0, ["count", "suppressed"]] = [pd.NA, True]  # as if protection hid it
    hidden_cohort = protected["sample"].loc[0, "cohort"]
    shown = book.with_denominators(levels["all"], protected, 5)
    for name in ("sex", "training", "clinical_backgrounds"):
        table = shown[name]
        assert table.loc[table["cohort"] == hidden_cohort, "n"].isna().all(), name
        assert table.loc[table["cohort"] != hidden_cohort, "n"].notna().all(), name
    assert shown["age"]["n"].eq(150).all()


def test_tables_the_attack_could_not_check_are_never_published(monkeypatch):
    """A suppression pattern too large for the interval attack refuses the build (here the cap is
    lowered to one cell, so any linked pair of suppressed cells exceeds it)."""
    from nhsreport.replication import book, disclosure

    frame = read_respondents(TEMPLATE, min_cell=1)
    monkeypatch.setattr(disclosure, "AUDITED_CELLS", 1)
    with pytest.raises(book.NotAudited, match="cannot be shown to be safe to share"):
        book.protected_levels(frame, 5)
    monkeypatch.setattr(disclosure, "AUDITED_CELLS", 400)
    book.protected_levels(frame, 5)
