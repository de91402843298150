"""The hash lock: every lock is compiled from its current top-level list, every locked requirement
carries hashes, the Makefile installs with --require-hashes, and Binder installs the same lock.

A lock records the sha256 of its list and of the compile options (nhsreport.pipeline.lock), so these
tests need no network; `make lock` recompiles. The mutation tests break a private copy.
"""

import re
import shutil

import pytest

from nhsreport import paths
from nhsreport.pipeline import lock

LOCK_FILES = [name for entry in lock.LOCKS for name in (entry.source, entry.target)]
BY_TARGET = {entry.target: entry for entry in lock.LOCKS}


@pytest.fixture
def lock_copy(tmp_path):
    """A private copy of the lists and their locks that a test may break."""
    for name in LOCK_FILES:
        shutil.copy(paths.PROJECT_ROOT / name, tmp_path / name)
    return tmp_path


def test_every_lock_is_compiled_from_its_current_list():
    assert lock.stale() == [], "a requirements*.in changed since its lock was compiled: run `make lock`"


@pytest.mark.parametrize("target", BY_TARGET)
def test_a_lock_whose_list_was_edited_is_stale(lock_copy, target):
    assert lock.stale(lock_copy) == []
    source = lock_copy / BY_TARGET[target].source
    source.write_text(source.read_text(encoding="utf-8") + "rich==15.0.0\n", encoding="utf-8")
    assert lock.stale(lock_copy) == [target]


def test_a_lock_compiled_with_other_options_is_stale(lock_copy, monkeypatch):
    monkeypatch.setattr(lock, "COMMON_OPTIONS", (*lock.COMMON_OPTIONS[:-1], "3.12"))
    assert lock.stale(lock_copy) == [entry.target for entry in lock.LOCKS]


def test_a_lock_without_its_stamp_is_stale(lock_copy):
    target = lock_copy / "requirements.txt"
    text = target.read_text(encoding="utf-8")
    target.write_text(re.sub(r"^# compiled from .*\n", "", text, flags=re.M), encoding="utf-8")
    assert lock.stale(lock_copy) == ["requirements.txt"]


@pytest.mark.parametrize("entry", lock.LOCKS, ids=lambda entry: entry.target)
def test_every_locked_requirement_is_pinned_with_hashes(entry):
    assert lock.requirements((paths.PROJECT_ROOT / entry.target).read_text(encoding="utf-8"))
    assert lock.unhashed(entry) == []


def test_a_requirement_without_a_hash_is_found(lock_copy):
    target = lock_copy / "requirements.txt"
    text = target.read_text(encoding="utf-8")
    # pandas's block loses its hashes: the pin line ends without a continuation.
    unhashed = re.sub(r"^pandas==3\.1\.1 \\\n(    --hash=.*\n)+", "pandas==3.1.1\n", text, flags=re.M)
    assert unhashed != text
    target.write_text(unhashed + "rich==15.0.0\n", encoding="utf-8")
    assert lock.unhashed(BY_TARGET["requirements.txt"], lock_copy) == ["pandas", "rich"]


@pytest.mark.parametrize("entry", lock.LOCKS, ids=lambda entry: entry.source)
def test_every_top_level_requirement_is_pinned_exactly_and_locked_at_that_version(entry):
    listed = lock.requirements((paths.PROJECT_ROOT / entry.source).read_text(encoding="utf-8"))
    assert listed and all(version for _, version, _ in listed), "pin every top-level requirement with =="
    assert lock.unlocked_pins(entry) == []


def test_a_lock_at_another_version_than_the_list_is_found(lock_copy):
    target = lock_copy / "requirements.txt"
    target.write_text(
        target.read_text(encoding="utf-8").replace("\nnumpy==2.4.6 ", "\nnumpy==2.4.5 "), encoding="utf-8"
    )
    assert lock.unlocked_pins(BY_TARGET["requirements.txt"], lock_copy) == ["numpy==2.4.6"]


def test_the_makefile_installs_every_lock_with_require_hashes():
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if re.search(r"pip install .*-r requirements", line)]
    assert sorted(re.search(r"-r (\S+)", line).group(1) for line in installs) == sorted(BY_TARGET)
    assert all("--require-hashes" in line for line in installs), installs
    assert "$(PY) -m nhsreport.pipeline.lock" in makefile


def test_binder_installs_the_same_lock():
    binder = paths.PROJECT_ROOT / lock.BINDER_COPY
    assert binder.read_bytes() == (paths.PROJECT_ROOT / "requirements.txt").read_bytes(), "run `make lock`"


def test_pins_under_a_marker_count_only_where_the_marker_holds(tmp_path):
    """The universal lock pins what only macOS, Windows or PyPy need: the appendix's table of
    pinned against installed versions leaves those out here (synthetic lock lines)."""
    from nhsreport import environment

    lock_text = (
        "appnope==1.0.0 ; sys_platform == 'darwin' \\\n    --hash=sha256:" + "a" * 64 + "\n"
        "colorama==0.4.6 ; sys_platform == 'win32' or sys_platform != 'win32' \\\n"
        "numpy==2.4.6 \\\n    --hash=sha256:" + "b" * 64 + "\n"
        "pandas==3.1.1\n"
        "uv==0.13.9  # the lock's tool\n"
    )
    (tmp_path / "requirements.txt").write_text(lock_text, encoding="utf-8")
    assert environment.pinned_requirements(tmp_path / "requirements.txt") == [
        ("colorama", "0.4.6"),
        ("numpy", "2.4.6"),
        ("pandas", "3.1.1"),
        ("uv", "0.13.9"),
    ]
