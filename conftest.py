"""Hooks for every test session, notebooks and tests alike (a conftest.py in tests/ would not
reach chapters/): the session leaves the working tree as it found it."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from nhsreport import paths

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
