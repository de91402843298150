"""Shared fixtures: the validated data, a private copy of the data package that a test may break,
the project built from scratch, and private copies of it.

`make test` runs the suite on every core (pytest-xdist). The costly fixtures (the project built
from scratch by `make book`, the small book) are made once per session by whichever worker asks
first, and the other workers wait for them and share them, read-only. The Makefile shares tests
out module by module (``--dist loadscope``), so each notebook's nbval cells run on one worker, in
order, in one kernel.
"""

import csv
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from projectcopy import copy_clone, copy_small_book, run_book

from nhsreport import paths
from nhsreport.data.package import read, with_current_hashes, write_json

# The slowest modules, slowest first (measured with `pytest --durations=0`). `make test` hands
# modules to the workers in collection order, so starting with these keeps both cores busy to the
# end instead of leaving one long module to run alone on one of them. The first starts the
# whole-book build (built_project) and the second the small book, side by side.
SLOWEST_FIRST = (
    "tests/test_browser.py",
    "tests/test_transactions.py",
    "tests/test_reliability.py",
    "tests/test_build.py",
    "tests/test_inputs_tracked.py",
    "tests/test_injection.py",
    "tests/test_interruptions.py",
    "tests/test_pdf.py",
    "tests/test_launch_links.py",
    "tests/test_preview.py",
    "tests/test_research_object.py",
    "tests/test_early_reading.py",
    "tests/test_working_tree.py",
    "tests/test_data_validation.py",
    "tests/test_warm_kernels.py",
    "tests/test_qualifications.py",
    "tests/test_training_allocations.py",
    "tests/test_cache.py",
)


def pytest_collection_modifyitems(items):
    rank = {module: place for place, module in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable


# --- the suite leaves the working tree as it found it ----------------------------------------

# nbval's kernels draw every table and figure again, and nhsreport.presentation.chapter.Chapter
# writes them to nhsreport.paths.FIGURES_DIR. They draw into a private copy of figures/, so the
# committed files stay as they are while other workers hash and copy them. The variable is set
# only while an nbval kernel starts: pytest itself (nhsreport.paths is already imported) and the
# subprocesses tests start keep the committed figures.
KERNEL_FIGURES = pytest.StashKey[Path]()
TREE_BEFORE = pytest.StashKey[str]()
TREE_CHANGES = pytest.StashKey[list]()


def kernel_figures(config):
    """This process's private copy of figures/ for nbval's kernels (made on first use)."""
    if KERNEL_FIGURES not in config.stash:
        copy = Path(tempfile.mkdtemp(prefix="nbval-kernels-")) / "figures"
        shutil.copytree(paths.FIGURES_DIR, copy)
        config.stash[KERNEL_FIGURES] = copy
    return config.stash[KERNEL_FIGURES]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """Start a notebook's kernel (nbval does it when it sets up the notebook's first cell) with
    NHSREPORT_FIGURES pointing at the private copy; restore the variable once started."""
    if item.path.suffix != ".ipynb":
        return (yield)
    before = os.environ.get("NHSREPORT_FIGURES")
    os.environ["NHSREPORT_FIGURES"] = str(kernel_figures(item.config))
    try:
        return (yield)
    finally:
        if before is None:
            del os.environ["NHSREPORT_FIGURES"]
        else:
            os.environ["NHSREPORT_FIGURES"] = before


def written_by_kernels(copy):
    """The files of the private copy that nbval's kernels wrote (new, or newer than committed)."""
    committed = paths.FIGURES_DIR
    return sorted(
        p.name
        for p in copy.iterdir()
        if not (committed / p.name).exists()
        or p.stat().st_mtime_ns != (committed / p.name).stat().st_mtime_ns
    )


def working_tree_status(root):
    """`git status --porcelain` of the checkout at ``root`` (None outside a git checkout, as in
    the benchmark's copy of the project)."""
    result = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, capture_output=True, text=True
    )
    return result.stdout if result.returncode == 0 else None


def controller(config):
    """Whether this is the process that runs the session (xdist's controller, or pytest alone)."""
    return not hasattr(config, "workerinput")


def pytest_sessionstart(session):
    if controller(session.config):
        status = working_tree_status(session.config.rootpath)
        if status is not None:
            session.config.stash[TREE_BEFORE] = status


def pytest_sessionfinish(session):
    """Fail the session if it changed the working tree (a test wrote into it)."""
    before = session.config.stash.get(TREE_BEFORE, None)
    if before is None:
        return
    after = working_tree_status(session.config.rootpath) or ""
    changes = sorted(set(before.splitlines()) ^ set(after.splitlines()))
    if changes:
        session.config.stash[TREE_CHANGES] = changes
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    changes = config.stash.get(TREE_CHANGES, [])
    if changes:
        terminalreporter.write_line("The tests changed the working tree (git status --porcelain):", red=True)
        for line in changes:
            terminalreporter.write_line(f"  {line}", red=True)
    if KERNEL_FIGURES in config.stash:
        written = written_by_kernels(config.stash[KERNEL_FIGURES])
        terminalreporter.write_line(
            f"nbval kernels wrote into a private copy of figures/: {' '.join(written)}"
        )


def pytest_unconfigure(config):
    if KERNEL_FIGURES in config.stash:
        shutil.rmtree(config.stash[KERNEL_FIGURES].parent, ignore_errors=True)


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
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed half-way left
            made.write_text(json.dumps(make(folder)), encoding="utf-8")
    return folder, json.loads(made.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_project(tmp_path_factory):
    """The root of a private copy of what a fresh clone holds, on which a from-scratch `make book`
    (execute every chapter, build the site, publish it to _build/html) has succeeded: made once
    per session, shared by every worker, read-only (tests that edit copy it: see ``project``)."""

    def build(folder):
        run = run_book(copy_clone(folder))
        assert run.result.returncode == 0, run.result.stdout[-3000:] + run.result.stderr[-3000:]
        return {}

    return made_once(tmp_path_factory, "built-project", build)[0]


@pytest.fixture
def project(built_project, tmp_path):
    """A private copy of the built project that a test may edit and rebuild freely."""
    root = tmp_path / "book"
    shutil.copytree(built_project, root)
    return root


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
