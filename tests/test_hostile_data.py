"""Nothing from outside data/ gets in: what a careless or hostile contributor can commit to data/
(symlinks, devices, files the package does not list, rows 10,000 cells wide, control characters)
is refused, with one line naming the file and the rule, before it is read or published.

Each test breaks a private copy of data/ (the ``data_copy`` fixture). The data zip's side is in
test_datazip.py.
"""

import builtins
import csv
import io
import json
import os
import subprocess
import sys

import pytest

from nhsreport import paths
from nhsreport.data import files, load
from nhsreport.data.errors import DataError, DataErrors
from nhsreport.data.load import validate
from nhsreport.data.validation import shape_errors


def errors_of(folder):
    with pytest.raises(DataErrors) as caught:
        validate(folder)
    return caught.value.errors


def named(errors, file, rule):
    """The errors about ``file`` under ``rule``; each fits on one line."""
    for error in errors:
        assert "\n" not in error.describe() and error.describe().startswith(f"data/{error.file}")
    return [e for e in errors if e.file == file and e.rule == rule]


def package_path(data_copy):
    return data_copy.folder / "datapackage.json"


def set_resource_path(data_copy, name, path):
    package = json.loads(package_path(data_copy).read_text(encoding="utf-8"))
    next(r for r in package["resources"] if r["name"] == name)["path"] = path
    package_path(data_copy).write_text(json.dumps(package), encoding="utf-8")


# --- names and paths -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["x`{download}`/metadata.yml.csv", "<img src=x>.csv", "a b.csv", "-rf.csv"])
def test_a_data_file_name_with_markup_or_spaces_is_refused_before_it_is_read(data_copy, name):
    """File names reach pages, downloads and the catalogue: only plain names are data."""
    (data_copy.folder / "tenure.csv").rename(data_copy.folder / "moved.csv")
    set_resource_path(data_copy, "tenure", name)
    errors = errors_of(data_copy.folder)
    assert [e for e in errors if e.rule == "plain file name"], [e.describe() for e in errors]


# --- paths that leave data/ -------------------------------------------------------------------


@pytest.fixture
def secret(tmp_path):
    """A file outside data/ (beside it, in the same project copy) whose first line is a secret."""
    path = tmp_path / "secret.csv"
    path.write_text("TOKEN_Zq81x,trust,measure,mean_years,source,locator,page\nmore,secret\n")
    return path


@pytest.mark.parametrize("target", ["beside data/", "/etc/passwd"])
def test_a_listed_file_symlinked_out_of_data_is_refused_without_showing_its_content(
    data_copy, secret, target
):
    outside = secret if target == "beside data/" else "/etc/passwd"
    tenure = data_copy.folder / "tenure.csv"
    tenure.unlink()
    tenure.symlink_to(outside)
    errors = errors_of(data_copy.folder)
    assert named(errors, "tenure.csv", "inside data/"), [e.describe() for e in errors]
    message = str(DataErrors(errors))
    first_line = open(outside, encoding="utf-8").readline()
    assert first_line.split(",")[0].split(":")[0] not in message, message


def test_a_resource_path_aimed_at_a_device_is_refused_before_it_is_read(data_copy, monkeypatch):
    set_resource_path(data_copy, "tenure", "/dev/zero")
    opened = []
    real_open, real_os_open = builtins.open, os.open

    def spy(opener):
        def opening(file, *arguments, **keywords):
            if str(file) == "/dev/zero":
                opened.append(file)
                raise AssertionError("/dev/zero was opened")
            return opener(file, *arguments, **keywords)

        return opening

    monkeypatch.setattr(builtins, "open", spy(real_open))
    monkeypatch.setattr(io, "open", spy(real_open))
    monkeypatch.setattr(os, "open", spy(real_os_open))
    errors = errors_of(data_copy.folder)
    assert opened == []
    assert named(errors, "/dev/zero", "inside data/"), [e.describe() for e in errors]


def test_a_pipe_in_data_is_refused_not_waited_on(data_copy):
    tenure = data_copy.folder / "tenure.csv"
    tenure.unlink()
    os.mkfifo(tenure)  # reading it would wait for a writer that never comes
    script = (
        "import sys\nfrom nhsreport.data.load import validate\nfrom nhsreport.data.errors import DataErrors\n"
        "try:\n    validate(sys.argv[1])\nexcept DataErrors as error:\n    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(data_copy.folder)], capture_output=True, text=True, timeout=120
    )
    assert "data/tenure.csv: rule 'regular file' broken" in result.stdout, result.stdout + result.stderr


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(data_copy, monkeypatch):
    limit = package_path(data_copy).stat().st_size + 1000
    monkeypatch.setattr(files, "MAX_FILE_BYTES", limit)
    os.truncate(data_copy.folder / "tenure.csv", limit + 1)  # sparse: no disk used
    read = []
    monkeypatch.setattr(load, "shape_errors", lambda file, *a: read.append(file) or shape_errors(file, *a))
    errors = errors_of(data_copy.folder)
    assert named(errors, "tenure.csv", "size limit"), [e.describe() for e in errors]
    assert "tenure.csv" not in read and "age.csv" in read


def test_the_read_itself_is_bounded(data_copy, monkeypatch):
    """A file that grows between the check and the read is cut at the limit and refused."""
    tenure = data_copy.folder / "tenure.csv"
    monkeypatch.setattr(files, "MAX_FILE_BYTES", tenure.stat().st_size)
    checked = files.checked_path

    def grows_after_the_check(data_dir, relative):
        real = checked(data_dir, relative)
        real.write_bytes(real.read_bytes() * 2)
        return real

    monkeypatch.setattr(files, "checked_path", grows_after_the_check)
    with pytest.raises(DataError, match="size limit"):
        files.read_checked(data_copy.folder, "tenure.csv")


# --- files the package does not list ----------------------------------------------------------


def test_an_unlisted_csv_in_data_is_named(data_copy):
    (data_copy.folder / "extra.csv").write_bytes((data_copy.folder / "tenure.csv").read_bytes())
    errors = errors_of(data_copy.folder)
    assert named(errors, "extra.csv", "listed in datapackage.json"), [e.describe() for e in errors]


def test_an_unlisted_symlink_to_the_environment_is_named(data_copy):
    (data_copy.folder / "zz.csv").symlink_to("/proc/self/environ")
    errors = errors_of(data_copy.folder)
    assert named(errors, "zz.csv", "listed in datapackage.json"), [e.describe() for e in errors]


def test_jupyter_checkpoints_beside_the_data_are_not_reported(data_copy):
    checkpoints = data_copy.folder / ".ipynb_checkpoints"
    checkpoints.mkdir()
    (checkpoints / "tenure-checkpoint.csv").write_text("trust\n")
    assert files.unlisted_errors(json.loads(package_path(data_copy).read_text()), data_copy.folder) == []


def test_a_resource_dropped_from_the_package_while_its_file_stays_is_named(data_copy):
    package = json.loads(package_path(data_copy).read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "tenure"]
    package_path(data_copy).write_text(json.dumps(package), encoding="utf-8")
    errors = errors_of(data_copy.folder)
    assert named(errors, "tenure.csv", "listed in datapackage.json"), [e.describe() for e in errors]


def test_asking_for_a_resource_the_package_does_not_list_names_the_package(data):
    """A chapter reading a resource dropped from the package (file and all) gets a named error,
    not ``KeyError: 'tenure'``."""
    with pytest.raises(DataError, match=r"data/datapackage.json: rule 'listed resource'.*'no_such_table'"):
        data["no_such_table"]


# --- rows too wide to be worth reading --------------------------------------------------------


def test_a_row_of_10000_cells_is_refused_by_its_width_before_frictionless_reads_it(data_copy, monkeypatch):
    lines = (data_copy.folder / "age.csv").read_text(encoding="utf-8").splitlines()
    lines[1] += ",x" * 10_000
    (data_copy.folder / "age.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data_copy.rehash()
    judged = []
    judge = load.frictionless_errors
    monkeypatch.setattr(load, "frictionless_errors", lambda *a: judged.extend(a[2]) or judge(*a))
    errors = errors_of(data_copy.folder)
    [error] = named(errors, "age.csv", "cells per row")
    assert error.row == 1 and "10006 cells but the header has 6" in error.detail
    assert "age" not in judged  # frictionless copies the whole row into each surplus cell's error


def test_a_wide_row_is_measured_before_its_cells_are_looked_at(monkeypatch):
    """The width rule comes first, so the work is linear in the row's length: no cell of a
    refused row is searched for control characters."""
    from nhsreport.data import validation

    searched = []
    monkeypatch.setattr(
        validation, "control_errors", lambda file, cells, *a: searched.append(len(cells)) or []
    )
    schema = {"fields": [{"name": "a"}, {"name": "b"}]}
    errors = shape_errors("wide.csv", ("a,b\n1,2\n" + "x," * 10_000 + "x\n").encode(), schema)
    assert [e.rule for e in errors] == ["cells per row"]
    assert searched == [2, 2]  # the header and the first row, never the 10,001 cells


# --- text is text -----------------------------------------------------------------------------


# (A carriage return outside quotes ends the row, so it is its own test below.)
CONTROL_CHARACTERS = {"NUL": "\x00", "escape": "\x1b", "delete": "\x7f", "C1 NEL": "\x85"}


def string_fields(resource):
    return [f["name"] for f in resource["schema"]["fields"] if f.get("type", "string") == "string"]


@pytest.mark.parametrize("character", list(CONTROL_CHARACTERS))
def test_a_control_character_in_any_text_field_of_any_file_is_named(data_copy, character):
    package = json.loads(package_path(data_copy).read_text(encoding="utf-8"))
    for resource in package["resources"]:
        rows = data_copy.rows(resource["path"])
        for column in string_fields(resource):
            rows[0][column] = "a" + CONTROL_CHARACTERS[character] + rows[0][column]
        data_copy.write(resource["path"], rows)
    data_copy.rehash()
    errors = errors_of(data_copy.folder)
    for resource in package["resources"]:
        found = {(e.row, e.column) for e in named(errors, resource["path"], "no control characters")}
        assert found == {(1, column) for column in string_fields(resource)}, resource["path"]
    assert all(CONTROL_CHARACTERS[character] not in e.describe() for e in errors)
    assert f"U+{ord(CONTROL_CHARACTERS[character]):04X} at character 2" in errors[0].detail


def test_a_nul_in_a_trust_label_is_named_by_file_row_column_and_rule(data_copy):
    data_copy.set_cell("trusts.csv", 2, "label", "Care\x00")
    errors = errors_of(data_copy.folder)
    [error] = named(errors, "trusts.csv", "no control characters")
    assert (error.row, error.column) == (2, "label")


def test_a_lone_carriage_return_in_a_quoted_cell_is_named():
    schema = {"fields": [{"name": "a"}, {"name": "b"}]}
    [error] = shape_errors("cr.csv", b'a,b\n"x\ry",z\n', schema)
    assert (error.rule, error.row, error.column) == ("no control characters", 1, "a")


def test_tabs_newlines_and_crlf_line_ends_are_text():
    schema = {"fields": [{"name": "a"}, {"name": "b"}]}
    content = b'a,b\r\n"one\ttab","two\r\nlines"\r\n"x\ny",z\r\n'
    assert shape_errors("fine.csv", content, schema) == []


def test_a_file_with_crlf_line_ends_is_valid(data_copy):
    tenure = data_copy.folder / "tenure.csv"
    tenure.write_bytes(tenure.read_bytes().replace(b"\n", b"\r\n"))
    data_copy.rehash()
    validate(data_copy.folder)


# --- make datapackage ---------------------------------------------------------------------------


def make_datapackage(folder):
    return subprocess.run(
        [sys.executable, "-m", "nhsreport.data.package", str(folder)],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(paths.PROJECT_ROOT / "src")),
        timeout=300,
    )


def widen_first_row(folder):
    path = folder / "age.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += ",x" * 10_000
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "data/age.csv, row 1: rule 'cells per row' broken"


def link_tenure_outside(folder):
    (folder / "tenure.csv").unlink()
    (folder / "tenure.csv").symlink_to(folder.parent / "secret.csv")
    (folder.parent / "secret.csv").write_text("TOKEN_Zq81x\n")
    return "data/tenure.csv: rule 'inside data/' broken"


@pytest.mark.parametrize("corrupt", [widen_first_row, link_tenure_outside])
def test_make_datapackage_on_a_malformed_file_names_it_and_writes_nothing(data_copy, corrupt):
    written = {name: (data_copy.folder / name).read_bytes() for name in ("datapackage.json", "README.md")}
    expected = corrupt(data_copy.folder)
    result = make_datapackage(data_copy.folder)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert "TOKEN" not in result.stderr
    assert {name: (data_copy.folder / name).read_bytes() for name in written} == written


def test_make_datapackage_on_good_data_rewrites_the_same_files(data_copy):
    written = {name: (data_copy.folder / name).read_bytes() for name in ("datapackage.json", "README.md")}
    result = make_datapackage(data_copy.folder)
    assert result.returncode == 0, result.stderr
    assert {name: (data_copy.folder / name).read_bytes() for name in written} == written
    assert oct((data_copy.folder / "datapackage.json").stat().st_mode & 0o777) == oct(
        (paths.DATA_DIR / "datapackage.json").stat().st_mode & 0o777
    )


def test_validation_reads_every_listed_file_through_the_gate(data_copy, monkeypatch):
    """The gate is the only way in: every resource and the package pass read_checked."""
    seen = []
    checked = load.read_checked
    monkeypatch.setattr(load, "read_checked", lambda folder, name: seen.append(name) or checked(folder, name))
    validate(data_copy.folder)
    package = json.loads(package_path(data_copy).read_text(encoding="utf-8"))
    assert set(seen) == {r["path"] for r in package["resources"]} | {"datapackage.json"}


def test_the_control_character_rule_reads_cells_as_csv_does():
    """A quoted cell may hold the delimiter and quotes: the row is one row of two cells."""
    schema = {"fields": [{"name": "a"}, {"name": "b"}]}
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([["a", "b"], ['x,"y"', "z"]])
    assert shape_errors("quoted.csv", text.getvalue().encode(), schema) == []


def test_a_file_broken_throughout_is_named_not_recited():
    from nhsreport.data.validation import MAX_SHAPE_ERRORS

    schema = {"fields": [{"name": "a"}, {"name": "b"}]}
    errors = shape_errors("nul.csv", b"a,b\n" + b"\x00,x\n" * 10 * MAX_SHAPE_ERRORS, schema)
    assert len(errors) == MAX_SHAPE_ERRORS + 1
    assert errors[-1].rule == "error limit"
