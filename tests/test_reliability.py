"""Bad input never ships: each corruption a careless or malicious contributor could make stops the
build with a one-line message naming the file, and leaves every tracked output as it was.

Each case breaks a private copy of the executed project (its site left out: the executor never
reads it), runs the build's first step (which validates the data before anything runs) and checks
the exit code, the message and that nothing tracked changed. A module that does not compile is a
matter of the build machinery, checked on the small book (see projectcopy). (Builds started
together or interrupted: test_interruptions.py; markup in the data: test_injection.py.)
"""

import json

import pytest
from projectcopy import (
    append_line,
    rehash,
    run_book,
    run_executor,
    set_first_cell,
    tracked_outputs,
)


def rewrite(path, transform):
    path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")


def header_only(text):
    return text.splitlines()[0] + "\n"


def replace_first_data_line(old, new):
    def transform(text):
        lines = text.splitlines()
        lines[1] = lines[1].replace(old, new, 1)
        return "\n".join(lines) + "\n"

    return transform


def drop_package_resources(root):
    path = root / "data" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    del package["resources"]
    path.write_text(json.dumps(package), encoding="utf-8")


def drop_column(text, column):
    lines = [line.split(",") for line in text.splitlines()]
    index = lines[0].index(column)
    return "\n".join(",".join(cells[:index] + cells[index + 1 :]) for cells in lines) + "\n"


# name -> (how to break the copy, the file the message must name, the rule it must name exactly,
# as the message writes it: "data/<file>...: rule '<rule>' broken: ...")
CORRUPTIONS = {
    "a missing column": (
        lambda r: rewrite(r / "data/gender.csv", lambda t: drop_column(t, "count")),
        "gender.csv",
        "missing column",
    ),
    "a non-numeric count": (set_first_cell("gender.csv", "count", "many"), "gender.csv", "type integer"),
    "a total that does not match its cells": (
        set_first_cell("age.csv", "count", "9"),
        "age.csv",
        "printed total",
    ),
    "a duplicate key": (
        lambda r: rewrite(r / "data/trusts.csv", lambda t: t + t.splitlines()[1] + "\n"),
        "trusts.csv",
        "primary key unique",
    ),
    "an unknown code": (set_first_cell("gender.csv", "trust", "acme"), "gender.csv", "foreign key"),
    "an implausible tenure": (set_first_cell("tenure.csv", "mean_years", "1e308"), "tenure.csv", "maximum"),
    "a header-only file": (
        lambda r: rewrite(r / "data/gender.csv", header_only),
        "gender.csv",
        "minimum rows",
    ),
    "an emptied register": (
        lambda r: rewrite(r / "data/limitations.csv", header_only),
        "limitations.csv",
        "minimum rows",
    ),
    "a zero-byte file": (lambda r: (r / "data/age.csv").write_bytes(b""), "age.csv", "header row"),
    "a ragged row": (
        lambda r: rewrite(r / "data/age.csv", lambda t: t.replace("\n", ",extra\n", 2)),
        "age.csv",
        "unknown column",
    ),
    "a row of the wrong width": (
        lambda r: (r / "data/trusts.csv").write_bytes((r / "data/trusts.csv").read_bytes() + b"broken\n"),
        "trusts.csv",
        "cells per row",
    ),
    "invalid UTF-8": (
        lambda r: (r / "data/trusts.csv").write_bytes(
            (r / "data/trusts.csv").read_bytes() + b"\xff\xfe broken,row\n"
        ),
        "trusts.csv",
        "UTF-8 encoding",
    ),
    "a count too large for 64 bits": (
        set_first_cell("gender.csv", "count", "99999999999999999999999"),
        "gender.csv",
        "maximum",
    ),
    "a package without resources": (drop_package_resources, "datapackage.json", "readable package"),
}


def names_file_and_rule(message, file, rule):
    """Whether one line of the message names the file and, exactly, the rule it breaks."""
    return any(f"data/{file}" in line and f"rule '{rule}' broken" in line for line in message.splitlines())


def test_the_message_check_wants_the_exact_rule_on_the_file_s_line():
    line = "  - data/age.csv, row 3: rule 'header row' broken: the file is empty"
    assert names_file_and_rule(line, "age.csv", "header row")
    assert not names_file_and_rule(line, "age.csv", "")
    assert not names_file_and_rule(line, "age.csv", "row")
    assert not names_file_and_rule(line, "gender.csv", "header row")
    assert not names_file_and_rule(line + "\n  - data/gender.csv: no rule", "gender.csv", "header row")


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_a_corruption_stops_the_build_naming_the_file_and_changes_nothing(executed_project, name):
    corrupt, file, rule = CORRUPTIONS[name]
    before = tracked_outputs(executed_project)
    corrupt(executed_project)
    if name != "a package without resources":
        rehash(executed_project)  # the hash alone must not be what catches it
    run = run_executor(executed_project)
    assert run.result.returncode == 2, run.result.stdout + run.result.stderr
    assert run.executed == []
    message = run.result.stderr
    assert "Traceback" not in message, message
    assert names_file_and_rule(message, file, rule), message
    assert tracked_outputs(executed_project) == before


def test_an_edit_without_recording_its_hash_is_refused(executed_project):
    append_line(executed_project / "data" / "trusts.csv", "")
    run = run_executor(executed_project)
    assert run.result.returncode == 2
    assert "data/trusts.csv" in run.result.stderr and "hash" in run.result.stderr


def test_a_syntax_error_in_the_package_fails_one_line_and_changes_nothing(small_book):
    before = tracked_outputs(small_book)
    append_line(small_book / "src" / "nhsreport" / "analyses" / "who_was_studied.py", "def broken(:")
    run = run_book(small_book)
    assert run.result.returncode == 1
    assert "who_was_studied.md failed: SyntaxError" in run.result.stderr
    assert "Traceback" not in run.result.stderr
    assert tracked_outputs(small_book) == before
