"""Costly results are computed once and cached under the hash of everything they depend on, so
the cache can never serve a value that a fresh computation would not give."""

import json
import logging
import multiprocessing
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from nhsreport import cache, paths
from nhsreport.analyses import careers_and_qualifications as qualifications
from nhsreport.analyses import training
from nhsreport.data import load
from nhsreport.data.errors import DataErrors
from nhsreport.data.load import validate
from nhsreport.pipeline import sphinx_site, unused_css


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("NHSREPORT_CACHE", str(folder))
    return folder


def test_a_key_changes_with_every_part_and_parts_cannot_run_together():
    base = cache.key(b"data", "code", 1)
    assert cache.key(b"data", "code", 1) == base
    assert base not in {
        cache.key(b"Data", "code", 1),
        cache.key(b"data", "code", 2),
        cache.key(b"data", "code"),
    }
    assert cache.key("ab", "c") != cache.key("a", "bc")


def test_a_key_covers_a_module_s_source_and_a_library_s_version(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("ANSWER = 1\n")

    class Module:
        __file__ = str(module)

    before = cache.key(*cache.code_of(Module, "numpy"))
    module.write_text("ANSWER = 2\n")
    assert cache.key(*cache.code_of(Module, "numpy")) != before
    assert cache.code_of("numpy") == [f"numpy=={np.__version__}"]


def test_a_value_is_computed_once_and_an_unreadable_entry_is_computed_again(private_cache):
    calls = []

    def compute():
        calls.append(1)
        return {"answer": 42}

    assert cache.stored("example", "abc", compute) == {"answer": 42}
    assert cache.stored("example", "abc", compute) == {"answer": 42}
    assert len(calls) == 1
    cache.entry_path("example", "abc").write_text("{not json")
    assert cache.stored("example", "abc", compute) == {"answer": 42}
    assert len(calls) == 2


def another_process_waits_for(lock_file, calls_file):
    """Whether another process is waiting for ``lock_file``: blocked on it (a "->" line of Linux's
    /proc/locks for its inode) or, for a polling lock (filelock), noted as refused in ``calls_file``."""
    refused = any(
        line.startswith("refused ") and line != f"refused {os.getpid()}"
        for line in calls_file.read_text().splitlines()
    )
    inode = str(lock_file.stat().st_ino) if lock_file.exists() else None
    locks = Path("/proc/locks").read_text().splitlines() if Path("/proc/locks").exists() else []
    blocked = any("->" in line and line.split()[-3].rsplit(":", 1)[-1] == inode for line in locks)
    return refused or blocked


class NoteRefusals(logging.Handler):
    """filelock logs each refused attempt: note them, as the event the other process waits for."""

    def __init__(self, calls_file):
        super().__init__(logging.DEBUG)
        self.calls_file = calls_file

    def emit(self, record):
        if "not acquired" in record.getMessage():
            with open(self.calls_file, "a") as calls:
                calls.write(f"refused {os.getpid()}\n")


def _value_asked_at_once(calls_file):
    """Ask for a value whose computation ends only once the other process waits for it (so both
    are inside ``cache.stored`` at once); note each computation."""
    calls_file = Path(calls_file)
    logging.getLogger("filelock").addHandler(NoteRefusals(calls_file))
    logging.getLogger("filelock").setLevel(logging.DEBUG)

    def compute():
        with open(calls_file, "a") as calls:
            calls.write("computed\n")
        lock_file = cache.entry_path("slow", "abc").with_suffix(".lock")
        deadline = time.monotonic() + 60  # an event, with a timeout: the other process waiting
        while not another_process_waits_for(lock_file, calls_file):
            assert time.monotonic() < deadline, "no other process waited for the value"
            time.sleep(0.01)
        return {"answer": 42}

    return cache.stored("slow", "abc", compute)


def test_processes_asking_at_once_compute_a_value_once(private_cache, tmp_path):
    calls = tmp_path / "calls"
    calls.touch()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        values = pool.map(_value_asked_at_once, [calls, calls], chunksize=1)
    assert values == [{"answer": 42}, {"answer": 42}]
    assert [line for line in calls.read_text().splitlines() if line == "computed"] == ["computed"]


def test_the_training_pair_count_is_cached_and_never_stale(data, private_cache):
    exact = training.enumerate_allocations(data)
    # Small inputs (a slice of the feasible tables) keep the test fast; the key is the same code.
    first = training.Allocations(exact.constraint_ids, exact.n, exact.minimal_tables[:40])
    assert first.count_pairs == first.counted_pairs()
    assert len(list(private_cache.glob("training-pairs-*.json"))) == 1
    fewer_tables = training.Allocations(exact.constraint_ids, exact.n, exact.minimal_tables[:30])
    other_sizes = training.Allocations(exact.constraint_ids, exact.n + 1, exact.minimal_tables[:40])
    for changed in (fewer_tables, other_sizes):
        assert changed.count_pairs == changed.counted_pairs() != first.count_pairs


def test_the_feasible_minimal_tables_are_cached_and_never_stale(data, private_cache):
    n = training.margins(data)
    constraints = training.minimal_constraints(data, n)
    found = training.stored_minimal_tables(constraints, n)
    assert np.array_equal(found, training.feasible_minimal_tables(constraints, n))
    assert found.dtype == np.int64 and len(list(private_cache.glob("training-minimal-tables-*.json"))) == 1
    assert np.array_equal(training.stored_minimal_tables(constraints, n), found)  # served, same
    # Other weights with the same offsets and operators, and other sizes: computed afresh.
    doubled = [replace(constraints[0], weights=constraints[0].weights * 2), *constraints[1:]]
    smaller = n.copy()
    smaller[1, 1] -= 2
    for changed, sizes in ((doubled, n), (constraints, smaller)):
        fresh = training.feasible_minimal_tables(changed, sizes)
        assert not np.array_equal(fresh, found)
        assert np.array_equal(training.stored_minimal_tables(changed, sizes), fresh)


def test_the_table_5_2_readings_are_cached_and_never_stale(data, private_cache):
    # Three of the table's rows and totals that some of their readings meet keep the test fast.
    rows = dict(list(qualifications.table52_rows(data).items())[:3])
    unchecked = [None] * 5

    def readings(totals):
        cached = qualifications.enumerate_readings(rows, totals, unchecked, "relaxed")
        assert (
            qualifications.enumerate_readings(rows, totals, unchecked, "relaxed") == cached
        )  # from the cache
        assert cached == qualifications.searched_readings(rows, totals, unchecked, "relaxed")
        return cached[1]

    every = readings(unchecked)
    assert len(list(private_cache.glob("table52-readings-*.json"))) == 1
    # Totals that only some readings meet: the cached readings must not be served for them.
    first = every[0]
    totals = [
        sum(t.value for key in rows for t, c in zip(rows[key], first[key]) if c == i and not t.bracketed)
        for i in range(5)
    ]
    fewer = readings(totals)
    assert first in fewer and 0 < len(fewer) < len(every)


@pytest.fixture(scope="module")
def verdicts_on_the_data(tmp_path_factory):
    """A cache holding the clean verdict on every file of the data package as it is. Judging every
    file is the slow part of validation: it is done once, here, for the tests that then edit their
    own copy of the data and validate it again."""
    folder = tmp_path_factory.mktemp("verdicts") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NHSREPORT_CACHE", str(folder))
        validate(paths.DATA_DIR)
    return folder


@pytest.fixture
def warm_cache(private_cache, verdicts_on_the_data):
    """A private cache that starts with the clean verdicts on the unedited data."""
    shutil.copytree(verdicts_on_the_data, private_cache)
    return private_cache


def resources(folder):
    return [r["name"] for r in json.loads((folder / "datapackage.json").read_text())["resources"]]


def test_a_clean_verdict_on_the_data_is_never_served_for_edited_data(data_copy, warm_cache):
    validate(data_copy.folder)
    assert len(list(warm_cache.glob("frictionless-clean-*.json"))) == len(resources(data_copy.folder))
    data_copy.set_cell("gender.csv", 1, "count", "many")  # rehashed: only the type rule can catch it
    with pytest.raises(DataErrors, match="gender.csv"):
        validate(data_copy.folder)


def test_a_clean_verdict_is_never_served_once_a_file_it_refers_to_changes(data_copy, warm_cache):
    validate(data_copy.folder)
    data_copy.set_cell("sources.csv", 1, "id", "900")  # tenure.csv, unchanged, now cites no source
    with pytest.raises(DataErrors) as caught:
        validate(data_copy.folder)
    assert any(e.file == "tenure.csv" and e.rule == "foreign key" for e in caught.value.errors)


def test_an_edit_is_judged_again_only_in_its_file_and_the_files_that_refer_to_it(
    data_copy, warm_cache, monkeypatch
):
    validate(data_copy.folder)
    judged = []
    judge = load.frictionless_errors
    monkeypatch.setattr(load, "frictionless_errors", lambda *a: judged.extend(a[2]) or judge(*a))
    data_copy.set_cell("trusts.csv", 1, "label", "Acute hospital")
    validate(data_copy.folder)
    package = json.loads((data_copy.folder / "datapackage.json").read_text())
    referring = {
        r["name"]
        for r in package["resources"]
        for k in load.foreign_keys(r)
        if k["reference"]["resource"] == "trusts"
    }
    assert referring and sorted(judged) == sorted(referring | {"trusts"})


def test_a_clean_verdict_is_never_served_once_the_package_metadata_changes(data_copy, warm_cache):
    validate(data_copy.folder)
    package = json.loads((data_copy.folder / "datapackage.json").read_text())
    package["name"] = "Not a valid name!"
    (data_copy.folder / "datapackage.json").write_text(json.dumps(package))
    with pytest.raises(DataErrors, match="datapackage.json"):
        validate(data_copy.folder)


def test_a_pruned_stylesheet_is_reused_only_for_the_same_stylesheet_classes_and_code(
    private_cache, monkeypatch, tmp_path
):
    """The site's stylesheets, pruned to the rules its pages can match (nhsreport.pipeline.sphinx_site)."""
    prunings = []
    prune = unused_css.drop_unused_rules
    monkeypatch.setattr(unused_css, "drop_unused_rules", lambda *a: prunings.append(1) or prune(*a))
    css, used = ".a{color:red}.b{color:blue}", {"a", "b"}
    edited_code = tmp_path / "unused_css.py"
    edited_code.write_text(Path(unused_css.__file__).read_text(encoding="utf-8") + "# an edit\n")
    cases = [(css, used, 1), (css, used, 1), (css, {"a"}, 2), (css + ".c{margin:0}", used, 3)]
    for text, classes, prunings_so_far in cases:
        assert sphinx_site.pruned_stylesheet(text, classes) == prune(text, classes)
        assert len(prunings) == prunings_so_far
    monkeypatch.setattr(unused_css, "__file__", str(edited_code))
    sphinx_site.pruned_stylesheet(css, used)
    assert len(prunings) == 4
