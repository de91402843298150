"""Shared fixtures: the validated data, a private copy of the data package that a test may break,
the project built from scratch, and private copies of it.

`make test` runs the suite on every core (pytest-xdist). The costly fixtures (the project built
from scratch by `make book`, the small book) are made once per session by whichever worker asks
first, and the other workers wait for them and share them, read-only. The Makefile shares tests
out module by module (``--dist loadscope``), so each notebook's nbval cells run on one worker, in
order, in one kernel.
"""

import csv
import json
import os
import shutil

import pytest
from filelock import FileLock
from projectcopy import copy_clone, copy_for_executor, copy_small_book, run_book

from nhsreport import paths
from nhsreport.data.package import read, with_current_hashes, write_json

# The slowest modules, slowest first (measured with `pytest --durations=0`). `make test` hands
# modules to the workers in collection order, so starting with these keeps both cores busy to the
# end instead of leaving one long module to run alone on one of them. The first starts the
# whole-book build (built_project) and the second the small book, side by side (a second module
# that needed built_project would only wait for it).
SLOWEST_FIRST = (
    "tests/test_plain_build.py",
    "tests/test_transactions.py",
    "tests/test_browser.py",
    "tests/test_inputs_tracked.py",
    "tests/test_pdf.py",
    "tests/test_injection.py",
    "tests/test_build.py",
    "tests/test_preview.py",
    "tests/test_replication_book.py",
    "tests/test_interruptions.py",
    "tests/test_reliability.py",
    "tests/test_replication.py",
    "tests/test_sphinx_ahead.py",
    "tests/test_data_validation.py",
    "tests/test_training_allocations.py",
    "tests/test_research_object.py",
    "tests/test_warm_kernels.py",
    "tests/test_qualifications.py",
    "tests/test_figures.py",
    "tests/test_launch_links.py",
    "tests/test_cache.py",
)


def pytest_collection_modifyitems(items):
    rank = {module: place for place, module in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable


@pytest.fixture(scope="session")
def data():
    """The validated data package, as every chapter reads it (tests must not modify it)."""
    from nhsreport.data.load import load_data

    return load_data()


class DataCopy:
    """A copy of data/ in a temporary folder, with helpers to break it one cell at a time."""

    def __init__(self, folder):
        self.folder = folder

    def rows(self, file):
        with open(self.folder / file, newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def write(self, file, rows, fields=None):
        fields = fields or list(rows[0])
        with open(self.folder / file, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def set_cell(self, file, row, column, value, rehash=True):
        """Change data row ``row`` (1-based) of ``file``; by default re-record the file hash,
        so only the rule under test can fail."""
        rows = self.rows(file)
        rows[row - 1][column] = value
        self.write(file, rows)
        if rehash:
            self.rehash()

    def rehash(self):
        write_json(self.folder / "datapackage.json", with_current_hashes(read(self.folder), self.folder))


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, folder)
    return DataCopy(folder)


def made_once(tmp_path_factory, name, make):
    """``make(folder)`` run once per session, whichever worker asks first; the others wait.

    Returns the folder and what ``make`` returned (JSON data, kept beside the folder)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the session's folder, shared by every worker
    folder, made = base / name, base / f"{name}.json"
    with FileLock(base / f"{name}.lock"):  # fcntl would tie the suite to Unix
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed half-way left
            made.write_text(json.dumps(make(folder)), encoding="utf-8")
    return folder, json.loads(made.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_project(tmp_path_factory):
    """The root of a private copy of what a fresh clone holds, on which a from-scratch `make book`
    (execute every chapter, build the site and its PDF, publish it to _build/html) has succeeded: made once
    per session, shared by every worker, read-only (tests that edit copy it: see ``project``)."""

    def build(folder):
        run = run_book(copy_clone(folder), pdf=True)
        assert run.result.returncode == 0, run.result.stdout[-3000:] + run.result.stderr[-3000:]
        return {}

    return made_once(tmp_path_factory, "built-project", build)[0]


@pytest.fixture
def project(built_project, tmp_path):
    """A private copy of the built project that a test may edit and rebuild freely."""
    root = tmp_path / "book"
    shutil.copytree(built_project, root)
    return root


@pytest.fixture
def executed_project(built_project, tmp_path):
    """A private copy of the built project without its site, for a test that runs only the
    executor (see projectcopy.copy_for_executor)."""
    return copy_for_executor(built_project, tmp_path / "book")


@pytest.fixture(scope="session")
def built_small_book(tmp_path_factory):
    """The small book (see projectcopy) executed and built once per session."""

    def build(folder):
        run = run_book(copy_small_book(folder))
        assert run.result.returncode == 0, run.result.stderr[-3000:]
        return {}

    return made_once(tmp_path_factory, "small-book", build)[0]


@pytest.fixture
def small_book(built_small_book, tmp_path):
    """A private copy of the built small book that a test may edit and rebuild."""
    root = tmp_path / "small-book"
    shutil.copytree(built_small_book, root, symlinks=True)
    return root


@pytest.fixture(scope="session")
def built_small_book_with_pdf(built_small_book, tmp_path_factory):
    """The small book built once more with its whole-book PDF, once per session (for the tests of
    the PDF's build machinery: kept when nothing changed, a failed print publishes nothing)."""

    def build(folder):
        shutil.copytree(built_small_book, folder, symlinks=True)
        run = run_book(folder, pdf=True)
        assert run.result.returncode == 0, run.result.stdout[-3000:] + run.result.stderr[-3000:]
        return {}

    return made_once(tmp_path_factory, "small-book-pdf", build)[0]
