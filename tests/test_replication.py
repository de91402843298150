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


def disclosed(original, protected, min_cell=5):
    """The suppressed cells the interval attack pins: its feasible interval [low, high] is one
    value wide, or lies inside 1 .. min_cell - 1 (the cell is then known to be a small count)."""
    found = disclosure.interval_attack(original, protected, min_cell)
    return [
        cell for cell, (low, high, _) in found.items() if high - low < 1 or (low >= 1 and high < min_cell)
    ]


@pytest.mark.parametrize("seed", [0])
def test_no_suppressed_count_can_be_recovered_by_linear_programming(seed):
    tables = random_tables(seed)
    protected = disclosure.protect(tables)
    for name in tables:
        if name == "tenure":
            continue
        assert protected[name]["suppressed"].any()
        assert disclosed(tables[name], protected[name]) == [], name
        found = disclosure.interval_attack(tables[name], protected[name], 5)
        assert all(low <= value <= high for low, high, value in found.values())  # the LP is right


def test_a_cell_known_to_be_zero_is_never_a_partner():
    counts = {"A": (3, 0, 10), "B": (6, 0, 9), "C": (7, 0, 8)}  # nobody is functional: all 0
    rows = [(o, c, n) for o, ns in counts.items() for c, n in zip(("clinical", "functional", "general"), ns)]
    sample = pd.DataFrame(rows, columns=["organisation", "cohort", "count"])
    protected = disclosure.protect({"sample": sample})["sample"]
    assert not protected.loc[sample["count"].eq(0).to_numpy(), "suppressed"].any()
    assert disclosed(sample, protected) == []


def test_a_partner_is_never_a_cell_known_to_be_zero():
    values = np.array([[0, 7, 0], [0, 5, 3]])  # column 0 adds up to 0: both its cells are known
    suppressed = np.array([[False, True, False], [False, False, False]])
    known = disclosure.known_zeros(values, 5)
    assert known[:, 0].all() and not known[0, 2]
    assert disclosure.partner(values, suppressed, [(0, 0), (0, 1), (0, 2)], known) == (0, 2)


def test_a_cell_hidden_above_is_never_the_sum_of_cells_shown_below():
    values = np.array([[5, 1], [7, 9]])
    first = disclosure.primary_mask(values, 5)
    force = disclosure.forced(values, first, [[(0, 0), (1, 0)], [(0, 1), (1, 1)]])
    assert force.tolist() == [[True, False], [False, False]]  # column 1 already hides its 1


def nested_levels(seed):
    """The tables of one random file for the whole sample, by organisation type, by organisation."""
    frame = random_frame(seed)
    by_type = frame.assign(organisation=frame["organisation"].map(TYPES))
    levels = {
        "all": aggregate(frame.assign(organisation="all")),
        "types": aggregate(by_type),
        "yours": aggregate(frame),
    }
    parents = {
        "types": {t: {"all": "all"} for t in set(TYPES.values())},
        "yours": {o: {"all": "all", "types": t} for o, t in TYPES.items()},
    }
    return levels, parents


def level_findings(levels, protected, parents):
    found = []
    for level in ("types", "yours"):
        for name in levels[level]:
            if name == "tenure":
                continue
            coarser = [
                (protected[up][name], {o: g[up] for o, g in parents[level].items()})
                for up in parents[level][next(iter(parents[level]))]
            ]
            attack = disclosure.interval_attack(levels[level][name], protected[level][name], 5, coarser)
            found += [
                (level, name, cell)
                for cell, (low, high, _) in attack.items()
                if high - low < 1 or (low >= 1 and high < 5)
            ]
    return found


@pytest.mark.parametrize("seed", [0])
def test_levels_protected_together_cannot_be_set_beside_each_other(seed):
    levels, parents = nested_levels(seed)
    protected = disclosure.protect_levels(levels, parents)
    assert level_findings(levels, protected, parents) == []
    for level in ("types", "yours"):  # a cell hidden above is not the sum of cells shown below
        for name in ("sex", "training"):
            fine = protected[level][name]
            hidden_all = protected["all"][name][protected["all"][name]["suppressed"]]
            keys = [k for k in hidden_all.columns if k not in ("organisation", "count", "suppressed")]
            for _, cell in hidden_all.iterrows():
                parts = fine[(fine[keys] == cell[keys]).all(axis=1)]
                assert parts["suppressed"].any() or parts["count"].sum() == 0


def test_levels_protected_apart_can_be_set_beside_each_other():
    levels, parents = nested_levels(0)
    apart = {level: disclosure.protect(tables) for level, tables in levels.items()}
    assert level_findings(levels, apart, parents)


def test_the_attack_finds_a_lone_suppressed_cell(monkeypatch):
    tables = random_tables(0)
    monkeypatch.setattr(disclosure, "secondary", lambda values, suppressed, min_cell, extra=(): suppressed)
    monkeypatch.setattr(disclosure, "audited", lambda values, first, final, min_cell, extra=(): final)
    protected = disclosure.protect(tables)
    found = [disclosed(tables[n], protected[n]) for n in tables if n != "tenure"]
    assert any(found)


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


def test_a_lone_suppressed_mean_gets_a_partner():
    tables = random_tables(2)
    tenure = tables["tenure"].copy()
    tenure.loc[0, "n"] = 3  # one organisation's mean of 'in_post' over 3 respondents
    tenure.loc[tenure.index[1:], "n"] = tenure.loc[tenure.index[1:], "n"].clip(lower=5)
    protected = disclosure.protect({"tenure": tenure})["tenure"]
    in_post = protected[protected["measure"] == "in_post"]
    assert in_post["suppressed"].sum() == 2


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
