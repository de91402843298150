"""The data package is valid, and every rule of validation fails on data that breaks it.

Each test breaks one thing in a private copy of data/ and expects the error to name the file, the
row, the column and the rule: a check that no broken input can trip would be a defect.
"""

import json
import subprocess
import sys

import pytest

from nhsreport import paths
from nhsreport.data.errors import DataErrors
from nhsreport.data.load import validate


def errors_of(folder):
    with pytest.raises(DataErrors) as caught:
        validate(folder)
    return caught.value.errors


def assert_error(errors, file, rule, row=None, column=None, detail=""):
    matches = [
        e
        for e in errors
        if e.file == file
        and e.rule == rule
        and (row is None or e.row == row)
        and (column is None or e.column == column)
        and detail in e.detail
    ]
    assert matches, f"expected {file} / {rule} / row {row} / {column}; got:\n" + "\n".join(
        e.describe() for e in errors
    )
    return matches[0]


def test_the_committed_data_package_is_valid():
    dataset = validate(paths.DATA_DIR)
    assert "sample_participants" in dataset.typed


def test_frictionless_validates_the_package():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "frictionless",
            "validate",
            "--json",
            str(paths.DATA_DIR / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_frictionless_rejects_a_package_with_a_broken_cell(data_copy):
    data_copy.set_cell("age.csv", 2, "count", "four")
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(data_copy.folder / "datapackage.json")],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0


def test_a_non_numeric_count_names_file_row_column_and_rule(data_copy):
    data_copy.set_cell("sample_participants.csv", 4, "count", "seven")
    error = assert_error(errors_of(data_copy.folder), "sample_participants.csv", "type integer", 4, "count")
    assert "data/sample_participants.csv, row 4, column 'count'" in error.describe()


def test_a_missing_column_is_named(data_copy):
    rows = data_copy.rows("age.csv")
    for row in rows:
        del row["age_band"]
    data_copy.write("age.csv", rows)
    data_copy.rehash()
    assert_error(errors_of(data_copy.folder), "age.csv", "missing column", column="age_band")


def test_an_unknown_column_is_named(data_copy):
    rows = data_copy.rows("age.csv")
    for row in rows:
        row["median"] = "1"
    data_copy.write("age.csv", rows)
    data_copy.rehash()
    assert_error(errors_of(data_copy.folder), "age.csv", "unknown column", column="median")


def test_a_duplicate_row_breaks_the_primary_key(data_copy):
    rows = data_copy.rows("gender.csv")
    data_copy.write("gender.csv", rows + [rows[2]])
    data_copy.rehash()
    assert_error(
        errors_of(data_copy.folder), "gender.csv", "primary key unique", len(rows) + 1, "trust, cohort, sex"
    )


def test_a_cell_that_disagrees_with_its_printed_total_is_found(data_copy):
    data_copy.set_cell("sample_participants.csv", 1, "count", "6")  # acute clinical: 5 -> 6
    errors = errors_of(data_copy.folder)
    error = assert_error(
        errors,
        "sample_participants.csv",
        "printed total",
        column="count",
        detail="Table 3.2 (p. 35) prints 20",
    )
    assert "1" in str(error.row).split(", ")


def test_a_changed_gender_cell_breaks_the_cross_table_rule(data_copy):
    data_copy.set_cell("gender.csv", 12, "count", "8")  # care general female: 9 -> 8
    errors = errors_of(data_copy.folder)
    assert_error(errors, "gender.csv", "cross-table rule", "11, 12", "count")
    assert_error(errors, "gender.csv", "printed total", detail="prints 16")


def test_an_unknown_trust_code_is_refused(data_copy):
    data_copy.set_cell("sample_declined.csv", 2, "trust", "mental_health")
    errors = errors_of(data_copy.folder)
    assert_error(errors, "sample_declined.csv", "allowed values", 2, "trust")


def test_an_interviewee_with_an_unknown_cohort_code_is_refused(data_copy):
    data_copy.set_cell("interviewee_quotes.csv", 1, "cohort", "surgical")
    assert_error(errors_of(data_copy.folder), "interviewee_quotes.csv", "allowed values", 1, "cohort")


def test_an_unknown_source_id_breaks_the_foreign_key(data_copy):
    data_copy.set_cell("tenure.csv", 3, "source", "009")
    assert_error(errors_of(data_copy.folder), "tenure.csv", "foreign key", 3, "source")


def test_an_empty_required_cell_is_named(data_copy):
    data_copy.set_cell("age.csv", 5, "count", "")
    assert_error(errors_of(data_copy.folder), "age.csv", "required", 5, "count")


def test_a_negative_count_is_below_the_minimum(data_copy):
    data_copy.set_cell("age.csv", 5, "count", "-1")
    assert_error(errors_of(data_copy.folder), "age.csv", "minimum", 5, "count")


def test_an_edit_without_recording_the_new_hash_is_refused(data_copy):
    data_copy.set_cell("tenure.csv", 1, "mean_years", "2.31", rehash=False)
    assert_error(errors_of(data_copy.folder), "tenure.csv", "hash")


def test_a_flagged_source_discrepancy_that_agrees_is_refused(data_copy):
    rows = data_copy.rows("printed_totals.csv")
    row = next(i for i, r in enumerate(rows, start=1) if r["source_discrepancy"] == "false")
    data_copy.set_cell("printed_totals.csv", row, "source_discrepancy", "true")
    assert_error(
        errors_of(data_copy.folder), "printed_totals.csv", "flagged discrepancy", row, "source_discrepancy"
    )


def test_a_printed_total_with_a_broken_expression_is_named(data_copy):
    data_copy.set_cell("printed_totals.csv", 1, "expression", "sum(no_such_table.count)")
    assert_error(errors_of(data_copy.folder), "printed_totals.csv", "expression", 1, "expression")


def test_every_error_is_reported_in_one_run(data_copy):
    data_copy.set_cell("age.csv", 1, "count", "x", rehash=False)
    data_copy.set_cell("tenure.csv", 1, "mean_years", "y")
    errors = errors_of(data_copy.folder)
    assert {e.file for e in errors} >= {"age.csv", "tenure.csv"}


def test_a_network_statement_must_name_a_pole_of_its_dimension(data_copy):
    rows = data_copy.rows("network_evidence.csv")
    row = next(i for i, r in enumerate(rows, start=1) if r["target_kind"] == "dimension_pole")
    data_copy.set_cell(
        "network_evidence.csv", row, "target", "tight" if rows[row - 1]["target"] != "tight" else "open"
    )
    assert_error(
        errors_of(data_copy.folder), "network_evidence.csv", "conditional reference", row, "dimension, target"
    )


def test_a_network_statement_about_a_trust_must_name_a_known_trust(data_copy):
    rows = data_copy.rows("network_evidence.csv")
    row = next(i for i, r in enumerate(rows, start=1) if r["target_kind"] == "trust")
    data_copy.set_cell("network_evidence.csv", row, "target", "general")
    assert_error(errors_of(data_copy.folder), "network_evidence.csv", "conditional reference", row, "target")


def test_formal_interviews_must_match_the_sample(data_copy):
    rows = data_copy.rows("data_collected.csv")
    row = next(
        i for i, r in enumerate(rows, start=1) if r["group"] == "care" and r["measure"] == "interviews_formal"
    )
    data_copy.set_cell("data_collected.csv", row, "value", "24")
    assert_error(errors_of(data_copy.folder), "data_collected.csv", "cross-table rule", row, "value")


def test_every_resource_and_field_is_described():
    package = validate(paths.DATA_DIR).package
    for resource in package["resources"]:
        assert resource.get("description"), resource["name"]
        for field in resource["schema"]["fields"]:
            assert field.get("description"), f"{resource['name']}.{field['name']}"


def test_every_row_carries_its_provenance():
    dataset = validate(paths.DATA_DIR)
    code_lists = {"sources", "trusts", "cohorts"}
    for name, frame in dataset.raw.items():
        if name in code_lists:
            continue
        assert {"source", "locator"} <= set(frame.columns), name
        assert (frame["source"] != "").all() and (frame["locator"] != "").all(), name


def test_the_codebook_is_generated_from_the_package():
    from nhsreport.data.package import codebook, read

    expected = codebook(read(paths.DATA_DIR), paths.DATA_DIR)
    assert (paths.DATA_DIR / "README.md").read_text(encoding="utf-8") == expected, (
        "data/README.md is stale: run `make datapackage`"
    )


def test_the_codebook_test_notices_drift(data_copy):
    from nhsreport.data.package import codebook, read

    package = read(data_copy.folder)
    package["resources"][3]["description"] = "changed"
    assert codebook(package, data_copy.folder) != (data_copy.folder / "README.md").read_text(encoding="utf-8")


def test_the_build_never_reads_the_private_sources():
    import re

    roots = [paths.PROJECT_ROOT / d for d in ("src", "chapters", "tests")]
    pattern = re.compile(r"shared/sources|\.\./shared")
    offenders = [
        str(p)
        for root in roots
        for p in root.rglob("*")
        if p.suffix in {".py", ".ipynb", ".md", ".yml"}
        and p.name != "test_data_validation.py"
        and pattern.search(p.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert offenders == []


def test_a_non_numeric_mean_is_refused(data_copy):
    data_copy.set_cell("tenure.csv", 2, "mean_years", "4,86")
    assert_error(errors_of(data_copy.folder), "tenure.csv", "type number", 2, "mean_years")


def test_a_boolean_must_be_true_or_false(data_copy):
    data_copy.set_cell("printed_totals.csv", 1, "source_discrepancy", "no")
    assert_error(errors_of(data_copy.folder), "printed_totals.csv", "type boolean", 1, "source_discrepancy")


def test_a_value_above_its_maximum_is_refused(data_copy):
    data_copy.set_cell("recommendations.csv", 1, "rec_no", "8")
    assert_error(errors_of(data_copy.folder), "recommendations.csv", "maximum", 1, "rec_no")


def test_a_value_that_breaks_its_pattern_is_refused(data_copy):
    data_copy.set_cell("nonclinical_quals_tokens.csv", 1, "token", "1)")
    assert_error(errors_of(data_copy.folder), "nonclinical_quals_tokens.csv", "pattern", 1, "token")


def test_a_field_declared_unique_holds_no_value_twice(data_copy):
    second = data_copy.rows("claims.csv")[1]["claim_id"]
    data_copy.set_cell("claims.csv", 3, "claim_id", second)
    assert_error(errors_of(data_copy.folder), "claims.csv", "unique", 3, "claim_id")


# --- failures of the files themselves: each names its file in one line ------------------------


def assert_one_line_each(errors):
    """Every error names a file of data/ and fits on one line (no traceback, no raw report)."""
    for error in errors:
        text = error.describe()
        assert text.startswith(f"data/{error.file}") and "\n" not in text, text
        assert "Traceback" not in text, text


def only_errors_of(folder):
    errors = errors_of(folder)
    assert_one_line_each(errors)
    return errors


def package_of(data_copy):
    from nhsreport.data.package import read

    return read(data_copy.folder)


def write_package(data_copy, package):
    from nhsreport.data.package import write_json

    write_json(data_copy.folder / "datapackage.json", package)


def write_bytes(data_copy, file, content):
    (data_copy.folder / file).write_bytes(content)
    data_copy.rehash()


def test_a_zero_byte_file_is_named(data_copy):
    write_bytes(data_copy, "gender.csv", b"")
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "gender.csv", "header row", detail="empty")
    assert {e.file for e in errors} == {"gender.csv"}


def test_a_header_only_file_is_blamed_on_that_file(data_copy):
    header = (data_copy.folder / "gender.csv").read_text(encoding="utf-8").splitlines()[0]
    write_bytes(data_copy, "gender.csv", (header + "\n").encode())
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "gender.csv", "minimum rows", detail="number of rows is 0, the minimum is 18")
    assert {e.file for e in errors} == {"gender.csv"}


def test_a_file_with_rows_missing_breaks_its_minimum_row_count(data_copy):
    rows = data_copy.rows("sample_participants.csv")
    data_copy.write("sample_participants.csv", rows[:-1])
    data_copy.rehash()
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "sample_participants.csv", "minimum rows", detail="the minimum is 9")


def test_every_file_declares_a_minimum_row_count_that_is_checked(data_copy):
    package = package_of(data_copy)
    for resource in package["resources"]:
        header = (data_copy.folder / resource["path"]).read_text(encoding="utf-8").splitlines()[0]
        (data_copy.folder / resource["path"]).write_text(header + "\n", encoding="utf-8")
    data_copy.rehash()
    errors = only_errors_of(data_copy.folder)
    for resource in package["resources"]:
        assert resource["minRows"] >= 1, resource["name"]
        assert_error(errors, resource["path"], "minimum rows", detail=f"the minimum is {resource['minRows']}")


def test_a_row_with_too_many_cells_names_its_data_row(data_copy):
    # a quoted line break in row 1 makes file lines and data rows differ: the data row is named
    data_copy.set_cell("gender.csv", 1, "locator", "Table\n3.3")
    lines = (data_copy.folder / "gender.csv").read_text(encoding="utf-8").split("\n")
    lines[4] += ",surplus"  # data row 3 (file line 5)
    write_bytes(data_copy, "gender.csv", "\n".join(lines).encode())
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "gender.csv", "cells per row", 3, detail="8 cells but the header has 7")


def test_a_row_with_too_few_cells_names_its_data_row(data_copy):
    lines = (data_copy.folder / "age.csv").read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].rsplit(",", 1)[0]  # data row 2 loses its page
    write_bytes(data_copy, "age.csv", "\n".join(lines).encode())
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "age.csv", "cells per row", 2, detail="5 cells but the header has 6")


def test_a_blank_line_is_named(data_copy):
    lines = (data_copy.folder / "age.csv").read_text(encoding="utf-8").split("\n")
    write_bytes(data_copy, "age.csv", "\n".join(lines[:3] + [""] + lines[3:]).encode())
    assert_error(only_errors_of(data_copy.folder), "age.csv", "blank row", 3)


def test_invalid_utf8_is_named(data_copy):
    content = (data_copy.folder / "tenure.csv").read_bytes().replace(b"acute", b"ac\xffute", 1)
    write_bytes(data_copy, "tenure.csv", content)
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "tenure.csv", "UTF-8 encoding")


def test_an_integer_beyond_64_bits_is_refused_by_its_bound(data_copy):
    data_copy.set_cell("age.csv", 5, "count", "99999999999999999999999")
    assert_error(only_errors_of(data_copy.folder), "age.csv", "maximum", 5, "count")


def test_an_integer_beyond_64_bits_cannot_reach_a_typed_frame():
    import pandas as pd

    from nhsreport.data.validation import typed_frame

    frame = pd.DataFrame({"count": ["1", "99999999999999999999999"]})
    _, errors = typed_frame("age.csv", frame, [{"name": "count", "type": "integer"}])
    assert_error(errors, "age.csv", "64-bit integer", 2, "count")


def test_a_missing_file_is_named(data_copy):
    (data_copy.folder / "cohorts.csv").unlink()
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "cohorts.csv", "file exists")


def test_columns_in_the_wrong_order_are_named(data_copy):
    rows = data_copy.rows("age.csv")
    data_copy.write("age.csv", rows, fields=["age_band", "trust", "count", "source", "locator", "page"])
    data_copy.rehash()
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "age.csv", "column order")
    assert {e.rule for e in errors if e.file == "age.csv"} == {"column order"}


def test_a_package_that_is_not_json_is_named(data_copy):
    (data_copy.folder / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "datapackage.json", "readable package", detail="not valid JSON")


def test_a_package_without_resources_is_named(data_copy):
    package = package_of(data_copy)
    del package["resources"]
    write_package(data_copy, package)
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "datapackage.json", "readable package", detail="'resources'")


def test_a_package_that_frictionless_refuses_is_named(data_copy):
    package = package_of(data_copy)
    package["resources"][0]["schema"]["fields"][0]["type"] = "integr"
    write_package(data_copy, package)
    errors = only_errors_of(data_copy.folder)
    assert_error(
        errors,
        "datapackage.json",
        "valid package",
        detail='sources.id: Field is not valid: field type "integr"',
    )
    assert_error(errors, "datapackage.json", "supported type", detail="sources.id")


def test_a_package_without_the_printed_totals_is_named(data_copy):
    package = package_of(data_copy)
    package["resources"] = [r for r in package["resources"] if r["name"] != "printed_totals"]
    write_package(data_copy, package)
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "datapackage.json", "required resource", detail="'printed_totals'")


def test_a_multi_line_detail_is_kept_on_one_line():
    from nhsreport.data.errors import DataError

    assert "\n" not in DataError("age.csv", "rule", "first\nsecond").describe()


# --- rules on the package itself ----------------------------------------------------------------


def test_a_resource_without_a_minimum_row_count_is_refused(data_copy):
    package = package_of(data_copy)
    del package["resources"][5]["minRows"]
    write_package(data_copy, package)
    name = package["resources"][5]["name"]
    assert_error(only_errors_of(data_copy.folder), "datapackage.json", "minRows declared", detail=name)


def test_a_numeric_field_without_bounds_is_refused(data_copy):
    package = package_of(data_copy)
    tenure = next(r for r in package["resources"] if r["name"] == "tenure")
    del next(f for f in tenure["schema"]["fields"] if f["name"] == "mean_years")["constraints"]["maximum"]
    write_package(data_copy, package)
    errors = only_errors_of(data_copy.folder)
    assert_error(errors, "datapackage.json", "numeric bounds", detail="tenure.mean_years")


def test_a_constraint_frictionless_would_ignore_is_refused(data_copy):
    package = package_of(data_copy)
    age = next(r for r in package["resources"] if r["name"] == "age")
    next(f for f in age["schema"]["fields"] if f["name"] == "count")["constraints"]["pattern"] = "^[0-9]$"
    write_package(data_copy, package)
    errors = only_errors_of(data_copy.folder)
    assert_error(
        errors,
        "datapackage.json",
        "valid package",
        detail='age.count: Field is not valid: constraint "pattern" is not supported by type "integer"',
    )


# --- plausibility rules ---------------------------------------------------------------------------


def numeric_fields(package):
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            if field.get("type") in ("integer", "number"):
                yield resource, field


def test_every_numeric_field_is_bounded_and_says_why():
    package = validate(paths.DATA_DIR).package
    for resource, field in numeric_fields(package):
        constraints = field["constraints"]
        assert "minimum" in constraints and "maximum" in constraints, (resource["name"], field["name"])
    described = [f for _, f in numeric_fields(package) if "Plausibility bounds" in f["description"]]
    assert len(described) >= 40


@pytest.mark.parametrize("bound", ["maximum", "minimum"])
def test_every_numeric_bound_is_enforced(data_copy, bound):
    """One cell per numeric field is pushed just past its bound; each is named."""
    package = package_of(data_copy)
    broken = []
    for resource, field in numeric_fields(package):
        limit = field["constraints"][bound]
        step = 1 if field["type"] == "integer" else 0.5
        value = limit + step if bound == "maximum" else limit - step
        data_copy.set_cell(resource["path"], 1, field["name"], str(value), rehash=False)
        broken.append((resource["path"], field["name"]))
    data_copy.rehash()
    errors = only_errors_of(data_copy.folder)
    for file, column in broken:
        assert_error(errors, file, bound, 1, column)


def test_an_implausible_mean_tenure_is_refused_once_rehashed(data_copy):
    data_copy.set_cell("tenure.csv", 1, "mean_years", "51")
    error = assert_error(only_errors_of(data_copy.folder), "tenure.csv", "maximum", 1, "mean_years")
    assert "51 is above the maximum 50" in error.detail


def test_a_count_larger_than_the_sample_is_refused(data_copy):
    data_copy.set_cell("gender.csv", 2, "count", "69")
    assert_error(only_errors_of(data_copy.folder), "gender.csv", "maximum", 2, "count")


def test_a_percentage_above_100_is_refused(data_copy):
    rows = data_copy.rows("network_motives.csv")
    row = next(i for i, r in enumerate(rows, start=1) if r["share_high"] != "")
    data_copy.set_cell("network_motives.csv", row, "share_high", "100.5")
    assert_error(only_errors_of(data_copy.folder), "network_motives.csv", "maximum", row, "share_high")


def test_every_required_cell_is_enforced(data_copy):
    """Every required field is emptied in one row of its file; each is named.

    The fields take turns over the rows, so no row is emptied whole (that is a blank row)."""
    package = package_of(data_copy)
    broken = []
    for resource in package["resources"]:
        count = len(data_copy.rows(resource["path"]))
        for number, field in enumerate(resource["schema"]["fields"]):
            if field.get("constraints", {}).get("required"):
                row = number % count + 1
                data_copy.set_cell(resource["path"], row, field["name"], "", rehash=False)
                broken.append((resource["path"], row, field["name"]))
    data_copy.rehash()
    errors = only_errors_of(data_copy.folder)
    for file, row, column in broken:
        assert_error(errors, file, "required", row, column)


@pytest.mark.parametrize(
    "file, column",
    [
        ("printed_totals.csv", "note"),
        ("cohort_roles.csv", "note"),
        ("recommendations.csv", "source_lines"),
        ("timeline_events.csv", "open_ended"),
    ],
)
def test_newly_required_cells_may_not_be_empty(data_copy, file, column):
    data_copy.set_cell(file, 2, column, "")
    assert_error(only_errors_of(data_copy.folder), file, "required", 2, column)


def test_a_boolean_written_as_1_is_refused(data_copy):
    data_copy.set_cell("printed_totals.csv", 1, "source_discrepancy", "1")
    assert_error(
        only_errors_of(data_copy.folder), "printed_totals.csv", "type boolean", 1, "source_discrepancy"
    )


def test_cross_table_rules_use_the_trust_and_cohort_codes_of_the_data():
    from nhsreport.data.study_rules import cross_table_rules

    rules = cross_table_rules(("acute",), ("clinical",))
    assert any("trust=acute & cohort=clinical" in left for _, left, _ in rules)
    assert not any("care" in left for _, left, _ in rules)


# --- rules the codebook states in words -----------------------------------------------------


CENTURY = r"\d+(?:st|nd|rd|th)[ -]century"


def century_claims_breaking_the_rule(claims):
    """Century references ("the late 20th century") are years with qualifier vague (the codebook's
    rule for printed_value); a duration such as "nearly a century" is not one."""
    century = claims[claims["printed"].str.contains(CENTURY)]
    return sorted(century[(century["unit"] != "year") | (century["qualifier"] != "vague")]["claim_id"])


def test_every_century_reference_is_a_vague_year(data):
    claims = data["claims"]
    assert len(claims[claims["printed"].str.contains(CENTURY)]) >= 2
    assert century_claims_breaking_the_rule(claims) == []


def test_the_century_rule_catches_a_century_counted_as_a_number(data):
    claims = data["claims"]
    claims.loc[claims["printed"].str.contains(CENTURY).idxmax(), "unit"] = "other"
    assert century_claims_breaking_the_rule(claims) != []


def files_named_in_descriptions_that_do_not_exist(package, root):
    import re

    text = json.dumps(package)
    named = set(re.findall(r"\b[\w.-]+\.(?:bib|csv|md)\b", text))
    return sorted(n for n in named if not any(root.rglob(n)))


def test_every_file_a_description_names_exists():
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert files_named_in_descriptions_that_do_not_exist(package, paths.PROJECT_ROOT) == []
    package["description"] += " See related_references.bib."
    assert files_named_in_descriptions_that_do_not_exist(package, paths.PROJECT_ROOT) == [
        "related_references.bib"
    ]
