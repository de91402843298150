"""Shared fixtures: the validated data, a private copy of the data package that a test may break,
the built book, and a private copy of the executed project."""

import csv
import shutil

import pytest
from projectcopy import copy_sources, run_executor

from nhsreport import paths
from nhsreport.data.package import read, with_current_hashes, write_json


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


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The HTML book built from the working tree with warnings as errors (once per session)."""
    from nhsreport.build.book import run_sphinx

    output = tmp_path_factory.mktemp("book-build")
    result = run_sphinx(output)
    return result, output / "_build" / "html"


@pytest.fixture(scope="session")
def executed_project(tmp_path_factory):
    """A copy of the project executed from scratch, once per test session."""
    root = copy_sources(tmp_path_factory.mktemp("executed") / "book")
    return root, run_executor(root)


@pytest.fixture
def project(executed_project, tmp_path):
    """A private copy of the executed project that a test may edit freely."""
    root = tmp_path / "book"
    shutil.copytree(executed_project[0], root)
    return root
