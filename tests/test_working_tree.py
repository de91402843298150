"""The test suite leaves the working tree as it found it: nbval's kernels draw into a private copy
of figures/, and a session that changes what `git status` shows fails (the project's conftest.py)."""

import json
import shutil
import subprocess
import sys

import pytest

from nhsreport import paths

# A short chapter that draws one figure and one table.
NOTEBOOK = "chapters/management_and_leadership.ipynb"


def pytest_session(arguments, cwd):
    """A pytest session of its own on one worker, without xdist, its cache or its reordering."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )


def snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def outputs_of(notebook):
    manifest = json.loads((paths.FIGURES_DIR / "manifest.json").read_text(encoding="utf-8"))
    return sorted(
        name for entry in manifest.values() if entry["notebook"] == notebook for name in entry["files"]
    )


def test_nbval_kernels_draw_into_a_private_copy_and_the_working_tree_stays_as_committed():
    figures, chapters = snapshot(paths.FIGURES_DIR), snapshot(paths.CHAPTERS_DIR)
    result = pytest_session([NOTEBOOK], paths.PROJECT_ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert snapshot(paths.FIGURES_DIR) == figures
    assert snapshot(paths.CHAPTERS_DIR) == chapters
    # The kernel did draw: every file of the chapter's outputs was written again, into the copy.
    written = next(line for line in result.stdout.splitlines() if "nbval kernels wrote" in line)
    assert outputs_of(NOTEBOOK) and set(outputs_of(NOTEBOOK)) <= set(written.split(": ", 1)[1].split())


def checkout_with_a_test(folder, test_body):
    """A git checkout holding the project's conftest.py and one test, committed (so its tree is
    clean)."""
    (folder / "tests").mkdir(parents=True)
    shutil.copy(paths.PROJECT_ROOT / "conftest.py", folder / "conftest.py")
    (folder / "pyproject.toml").write_text("[tool.pytest.ini_options]\n", encoding="utf-8")
    (folder / ".gitignore").write_text("__pycache__/\n", encoding="utf-8")
    (folder / "tests" / "test_one.py").write_text(
        f"from pathlib import Path\n\n\ndef test_one():\n    {test_body}\n", encoding="utf-8"
    )
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "."], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a test"], cwd=folder, check=True)
    return folder


@pytest.mark.parametrize("workers", [[], ["-p", "xdist", "-n", "1"]], ids=["alone", "xdist"])
def test_a_session_that_writes_into_the_working_tree_fails_naming_the_file(tmp_path, workers):
    writes = 'Path(__file__).with_name("left_behind.txt").write_text("x")'
    result = pytest_session(["-p", "no:nbval", *workers], checkout_with_a_test(tmp_path / "writes", writes))
    assert result.returncode == 1, result.stdout[-3000:]
    assert "1 passed" in result.stdout
    assert "?? tests/left_behind.txt" in result.stdout


def test_a_session_that_writes_nothing_passes(tmp_path):
    result = pytest_session(["-p", "no:nbval"], checkout_with_a_test(tmp_path / "quiet", "pass"))
    assert result.returncode == 0, result.stdout[-3000:]
    assert "changed the working tree" not in result.stdout
