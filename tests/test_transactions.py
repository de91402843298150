"""Files never lost, failures named, limits kept: what a failed, killed or runaway build leaves.

- A failure puts back every tracked output one file at a time from copies kept until the result
  is checked; a file that cannot be put back is named and left as it is, never deleted.
- Every write of a tracked output is whole or absent; ``_build/html`` is never absent.
- A broken ``figures/manifest.json`` is named and rebuilt.
- A chapter whose kernel dies, whose cell times out or prints too much is named.
- A build waiting for another build's lock says who holds it and gives up.
- The whole-build time limit and the page-weight budget are kept by the build.

(Ctrl-C and a failure beside a running chapter: test_interruptions.py.)
"""

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from projectcopy import (
    CHAPTER_HEADER,
    SMALL_BOOK_CHAPTERS,
    append_cell,
    append_line,
    code_cell,
    descendants,
    ended,
    environment,
    none_left,
    prepend_cell,
    run_book,
    sleeping_cell,
    tracked_outputs,
)

from nhsreport import atomic, paths
from nhsreport.pipeline import book, execute, provenance


def run(command, root, timeout, extra=None):
    return subprocess.run(
        command,
        env=dict(environment(root), **(extra or {})),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- restore: a file that cannot be replaced ---------------------------------------------------


def chattr_works(tmp_path):
    """Whether ``chattr +i`` makes a file immutable here (root, on a file system that has it)."""
    probe = tmp_path / "chattr-probe"
    probe.write_text("probe")
    if (
        shutil.which("chattr") is None
        or subprocess.run(["chattr", "+i", probe], capture_output=True).returncode
    ):
        return False
    subprocess.run(["chattr", "-i", probe], check=True)
    return True


def mutable_again(folder):
    """Undo every ``chattr +i`` under ``folder`` (else the test's folder cannot be removed)."""
    if shutil.which("chattr"):
        for path in [folder, *folder.rglob("*")]:
            subprocess.run(["chattr", "-i", path], capture_output=True)


def is_stuck(path, stuck, dir_fd=None):
    """Whether ``path`` names ``stuck`` (relative to ``dir_fd`` if given, as shutil.rmtree calls)."""
    return Path(path).name == stuck.name if dir_fd is not None else Path(path) == stuck


@contextmanager
def refused(monkeypatch, stuck):
    """Simulate an undeletable, unreplaceable file in this process: os.replace and os.unlink refuse it."""
    real_replace, real_unlink = os.replace, os.unlink

    def replace(source, destination, *arguments, **options):
        if is_stuck(destination, stuck, options.get("dst_dir_fd")):
            raise PermissionError(1, "Operation not permitted", str(destination))
        return real_replace(source, destination, *arguments, **options)

    def unlink(path, *arguments, **options):
        if is_stuck(path, stuck, options.get("dir_fd")):
            raise PermissionError(1, "Operation not permitted", str(path))
        return real_unlink(path, *arguments, **options)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)
    yield


@pytest.fixture
def outputs(tmp_path, monkeypatch):
    """A project's tracked outputs in a temporary folder: two notebooks and a figures folder."""
    root = tmp_path / "project"
    (root / "chapters").mkdir(parents=True)
    (root / "figures").mkdir()
    for name in ("a.ipynb", "b.ipynb"):
        (root / "chapters" / name).write_text(f"notebook {name}\n")
    for name in ("fig-x.svg", "fig-x.png", "tbl-y.csv", "manifest.json"):
        (root / "figures" / name).write_bytes(f"figure file {name}\n".encode())
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(paths, "CHAPTERS_DIR", root / "chapters")
    monkeypatch.setattr(paths, "FIGURES_DIR", root / "figures")
    return root


def snapshot(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_failure_puts_back_every_file_and_names_the_one_it_cannot_replace(outputs, monkeypatch):
    before = snapshot(outputs)
    stuck = outputs / "figures" / "tbl-y.csv"
    with pytest.raises(execute.RestoreIncomplete) as raised, refused(monkeypatch, stuck):
        with execute.restored_on_failure():
            for path in outputs.rglob("*.*"):
                path.write_bytes(b"half-made by a run that then fails\n")
            (outputs / "figures" / "fig-x.png").unlink()
            (outputs / "figures" / "fig-new.svg").write_bytes(b"made by the failed run\n")
            raise RuntimeError("a chapter failed")
    message = str(raised.value)
    assert "could not put back figures/tbl-y.csv (PermissionError" in message, message
    assert isinstance(raised.value.cause, RuntimeError)
    after = snapshot(outputs)
    assert after.pop("figures/tbl-y.csv") == b"half-made by a run that then fails\n"  # left, not deleted
    assert after == {name: data for name, data in before.items() if name != "figures/tbl-y.csv"}
    kept = raised.value.backup  # the copies stay until the restore is whole
    assert sorted(p.read_bytes() for p in kept.iterdir()) == sorted(before.values())
    shutil.rmtree(kept)


def test_a_failure_with_every_file_replaceable_puts_all_back_and_keeps_no_copy(outputs):
    before = snapshot(outputs)
    with pytest.raises(RuntimeError, match="a chapter failed"):
        with execute.restored_on_failure():
            (outputs / "figures" / "tbl-y.csv").write_bytes(b"changed\n")
            (outputs / "chapters" / "c.ipynb").write_bytes(b"new\n")
            raise RuntimeError("a chapter failed")
    assert snapshot(outputs) == before


def git(root, *arguments):
    command = ["git", "-C", str(root), "-c", "user.email=test@example.org", "-c", "user.name=test"]
    return subprocess.run([*command, *arguments], capture_output=True, text=True, check=True).stdout


SIMULATED_REFUSAL = """
import os, runpy, sys
from pathlib import Path
stuck = {Path(os.environ["STUCK_FILE"]), Path(os.environ["IMMUTABLE_FILE"])}
real_replace, real_unlink = os.replace, os.unlink
def refuse(path, dir_fd):
    if (Path(path).name in {s.name for s in stuck}) if dir_fd is not None else Path(path) in stuck:
        raise PermissionError(1, "Operation not permitted", str(path))
def replace(source, destination, *arguments, **options):
    refuse(destination, options.get("dst_dir_fd"))
    return real_replace(source, destination, *arguments, **options)
def unlink(path, *arguments, **options):
    refuse(path, options.get("dir_fd"))
    return real_unlink(path, *arguments, **options)
os.replace, os.unlink = replace, unlink
runpy.run_module("nhsreport.pipeline.book", run_name="__main__")
"""

FAILS_AFTER_CHANGING_FILES = """
import os, pathlib, subprocess
figures = pathlib.Path(os.environ["NHSREPORT_FIGURES"])
for path in sorted(figures.glob("tbl-*.csv")):
    path.write_text("changed by a chapter that then fails\\n")
(figures / "tbl-made-by-the-failed-run.csv").write_text("new\\n")
if os.environ.get("BY_CHATTR"):
    subprocess.run(["chattr", "+i", os.environ["STUCK_FILE"]], check=True)
raise RuntimeError("this chapter fails on purpose")
"""


def test_an_unreplaceable_file_and_a_failing_chapter_lose_no_file(small_book, tmp_path):
    """As in the report: one file in figures/ undeletable (chattr +i where it works, else
    os.replace and os.unlink refuse it in the build), then a chapter fails."""
    root = small_book
    git(root, "init", "-q")
    git(root, "add", "chapters/*.ipynb", "figures")
    git(root, "commit", "-q", "-m", "before")
    stuck = sorted((root / "figures").glob("tbl-*.csv"))[0]
    immutable = root / "figures" / "published_labels.json"  # no build step writes it
    # First, so the chapter fails without drawing its figures (which it draws as they are).
    prepend_cell(root, "who_was_studied", FAILS_AFTER_CHANGING_FILES)
    by_chattr = chattr_works(tmp_path)
    extra = {"STUCK_FILE": str(stuck), "IMMUTABLE_FILE": str(immutable)}
    try:
        if by_chattr:
            subprocess.run(["chattr", "+i", immutable], check=True)
            result = run(
                [sys.executable, "-m", "nhsreport.pipeline.book"], root, 600, dict(extra, BY_CHATTR="1")
            )
        else:
            result = run([sys.executable, "-c", SIMULATED_REFUSAL], root, 600, extra)
    finally:
        mutable_again(root)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "RuntimeError: this chapter fails on purpose" in result.stderr
    assert f"could not put back figures/{stuck.name}" in result.stderr, result.stderr[-3000:]
    assert git(root, "status", "--porcelain", "chapters/*.ipynb", "figures").splitlines() == [
        f" M figures/{stuck.name}"
    ]


def test_a_read_only_figures_folder_is_named_as_the_cause(small_book, tmp_path):
    """A figures/ that refuses new files: the chapter's failure says so (never FileExistsError
    from the restore), and nothing in it changes."""
    if not chattr_works(tmp_path):
        pytest.skip("chattr +i does not work here (needs root and a file system that has it)")
    root = small_book
    before = tracked_outputs(root)
    append_cell(root, "who_was_studied", "print('a changed chapter')")
    try:
        subprocess.run(["chattr", "+i", root / "figures"], check=True)
        result = run_book(root).result
    finally:
        mutable_again(root)
    assert result.returncode == 1
    assert "FileExistsError" not in result.stderr
    assert "chapters/who_was_studied.md failed: PermissionError" in result.stderr, result.stderr[-3000:]
    assert "figures/" in result.stderr.splitlines()[0]
    assert tracked_outputs(root) == before


# --- atomic writes ---------------------------------------------------------------------------

FILE_SIZE_LIMIT = 4096  # bytes: as a disk that fills up mid-write


def write_with_a_full_disk(writer, target):
    """Run ``writer`` (source text defining ``write()``) in a process that can write at most
    FILE_SIZE_LIMIT bytes to any file; return its error output."""
    code = f"""
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # then a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, ({FILE_SIZE_LIMIT}, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
{writer}
write()
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, TARGET=str(target), NHSREPORT_FIGURES=str(target.parent)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0, "the write fitted: make it larger than FILE_SIZE_LIMIT"
    return result.stderr


WRITERS = {
    "manifest.json": """
import os
from pathlib import Path
from nhsreport.pipeline import provenance
def write():
    provenance.write_manifest({f"tbl-{n}": {"caption": "x" * 100} for n in range(100)}, Path(os.environ["TARGET"]).parent)
""",
    "chapter.ipynb": """
import os, nbformat
from nhsreport.pipeline import execute
def write():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1 # " + "y" * 10000)])
    execute.write_notebook(notebook, os.environ["TARGET"])
""",
    "tbl-big.csv": """
import os, pandas as pd
from pathlib import Path
from nhsreport.presentation.chapter import Chapter
def write():
    chapter = Chapter.__new__(Chapter)  # no data needed to save a table
    chapter.figures_dir, chapter.notebook = Path(os.environ["TARGET"]).parent, "chapter"
    chapter._record = lambda *arguments, **measures: None
    chapter.table(pd.DataFrame({"text": ["z" * 100] * 100}), "tbl-big", "A table")
""",
    "fig-big.svg": """
import os
from pathlib import Path
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
from nhsreport.presentation.chapter import Chapter
def write():
    chapter = Chapter.__new__(Chapter)
    chapter.figures_dir, chapter.notebook = Path(os.environ["TARGET"]).parent, "chapter"
    chapter._record = lambda *arguments, **measures: None
    fig, ax = plt.subplots()
    ax.plot(range(1000), [n % 7 for n in range(1000)])
    chapter.figure(fig, "fig-big", "A figure")
""",
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_write_that_fails_half_way_leaves_the_old_file_whole(name, tmp_path):
    target = tmp_path / name
    old = b"the old file, whole\n"
    target.write_bytes(old)
    write_with_a_full_disk(WRITERS[name], target)
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left either


def test_an_atomic_write_keeps_the_old_file_s_permissions(tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("old")
    target.chmod(0o640)
    atomic.write_text(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o640


def exchange_works(tmp_path):
    first, second = tmp_path / "probe-1", tmp_path / "probe-2"
    first.mkdir()
    second.mkdir()
    (first / "1").touch()
    swapped = book.exchange(first, second) and (second / "1").exists()
    shutil.rmtree(first)
    shutil.rmtree(second)
    return swapped


def test_the_site_folder_is_never_absent_while_a_build_is_published(tmp_path, monkeypatch):
    """Every step of publishing is watched: after each, _build/html must exist and be whole."""
    monkeypatch.setattr(book, "BUILD", tmp_path / "_build")
    monkeypatch.setattr(book, "SITE", tmp_path / "_build" / "html")
    for version, folder in (("old", book.SITE), ("new", tmp_path / "staging")):
        (folder / "_static").mkdir(parents=True)
        (folder / "index.html").write_text(version)
        (folder / "_static" / "style.css").write_text(version)
    seen = []

    def watched(module, name):
        real = getattr(module, name)

        def step(*arguments, **options):
            result = real(*arguments, **options)
            site = book.SITE
            seen.append((name, site.is_dir() and {p.read_text() for p in site.rglob("*.*")}))
            return result

        monkeypatch.setattr(module, name, step)

    for module, name in ((os, "rename"), (os, "replace"), (shutil, "rmtree"), (shutil, "copytree")):
        watched(module, name)
    monkeypatch.setattr(Path, "rename", lambda self, target: os.rename(self, target) or Path(target))
    if not exchange_works(tmp_path):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here: publishing falls back to two renames")
    book.publish(tmp_path / "staging")
    assert seen, "publish changed nothing"
    assert [s for s in seen if s[1] not in ({"old"}, {"new"})] == []
    assert (book.SITE / "index.html").read_text() == "new"
    assert sorted(p.name for p in book.BUILD.iterdir()) == ["html"]


# --- a broken manifest ---------------------------------------------------------------------------


def test_a_truncated_manifest_is_named_with_the_command_that_rebuilds_it(tmp_path):
    (tmp_path / "manifest.json").write_text('{"fig-a": {"caption": "cut sho')
    with pytest.raises(provenance.ManifestBroken) as raised:
        provenance.read_manifest(tmp_path)
    message = str(raised.value)
    assert "manifest.json is truncated or malformed" in message and "`make execute` rebuilds it" in message
    assert "\n" not in message
    (tmp_path / "manifest.json").write_text("[]")
    assert "a JSON list, not an object" in provenance.manifest_problem(tmp_path)


FAILS_ONCE_THE_MANIFEST_IS_WRITTEN = """
import os, pathlib, time
manifest = pathlib.Path(os.environ["NHSREPORT_FIGURES"]) / "manifest.json"
deadline = time.monotonic() + 300
while not manifest.exists() and time.monotonic() < deadline:
    time.sleep(0.05)
assert manifest.exists(), "no chapter beside this one wrote the manifest: the test proves less"
raise RuntimeError("this chapter fails on purpose")
"""


def test_a_truncated_manifest_is_rebuilt_and_a_failed_run_never_makes_it_valid(small_book):
    root = small_book
    manifest = root / "figures" / "manifest.json"
    whole = manifest.read_bytes()
    manifest.write_bytes(whole[: len(whole) // 2])  # a kill or a full disk mid-write
    chapter = root / "chapters" / "who_was_studied.md"
    source = chapter.read_text(encoding="utf-8")
    # The chapter fails first thing, once the chapter beside it (the appendix stub, in the same
    # wave) has recorded its outputs: a valid manifest written by a run that then fails.
    prepend_cell(root, "who_was_studied", FAILS_ONCE_THE_MANIFEST_IS_WRITTEN)
    failed = run_book(root).result
    assert failed.returncode == 1, failed.stderr[-3000:]
    assert "figures/manifest.json is truncated or malformed" in failed.stdout
    assert "this chapter fails on purpose" in failed.stderr, failed.stderr[-3000:]
    chapter.write_text(source, encoding="utf-8")  # fixed
    rebuilt = run_book(root)
    assert rebuilt.result.returncode == 0, rebuilt.result.stderr[-3000:]
    assert "figures/manifest.json is truncated or malformed" in rebuilt.result.stdout
    assert sorted(rebuilt.executed) == sorted(SMALL_BOOK_CHAPTERS)  # every chapter, to remake it
    assert manifest.read_bytes() == whole


# --- failures named: a chapter run alone in a fresh kernel ----------------------------------------


@pytest.fixture
def lone_chapter(tmp_path, monkeypatch):
    """Write a one-cell chapter in a private project; return a function that runs it as the build
    runs each chapter, giving (stamp, failure)."""
    (tmp_path / "figures").mkdir()
    shutil.copy(paths.PROJECT_ROOT / "requirements.txt", tmp_path)  # part of every fingerprint
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(paths, "FIGURES_DIR", tmp_path / "figures")
    monkeypatch.setattr(execute, "STAMPS", tmp_path / "stamps")
    (tmp_path / "stamps").mkdir()
    source = tmp_path / "chapters" / "lone.md"
    source.parent.mkdir()

    def run_chapter(code):
        source.write_text(CHAPTER_HEADER + code_cell(code), encoding="utf-8")
        return execute.run_one(source, {"resources": []}, True, AsyncKernelManager)

    return run_chapter


def test_a_chapter_whose_kernel_dies_is_named(lone_chapter):
    stamp, failure = lone_chapter("import os\nos._exit(1)")
    assert stamp is None and failure[0] == "lone.md"
    assert failure[1].startswith("DeadKernelError"), failure


def test_a_chapter_whose_cell_times_out_is_named(lone_chapter, monkeypatch):
    monkeypatch.setenv("NHSREPORT_CELL_TIMEOUT", "2")
    started = time.monotonic()
    stamp, failure = lone_chapter("import time\ntime.sleep(120)")
    assert stamp is None and failure[0] == "lone.md"
    assert failure[1].startswith("CellTimeoutError"), failure
    assert time.monotonic() - started < 100  # the cell was stopped, not waited for


def test_a_cell_printing_100_mb_fails_its_chapter_and_writes_no_notebook(lone_chapter, tmp_path):
    # (cell 1 is the chapter's title)
    stamp, failure = lone_chapter("print('x' * 100_000_000)")
    assert stamp is None and failure[0] == "lone.md"
    assert failure[1].startswith("OutputTooLarge: cell 2 produced more than 2097152 bytes"), failure
    assert "NHSREPORT_MAX_CELL_OUTPUT" in failure[1]
    assert not (tmp_path / "chapters" / "lone.ipynb").exists()


def test_a_cell_under_the_cap_runs_as_before(lone_chapter, tmp_path):
    stamp, failure = lone_chapter("print('x' * 1000)")
    assert failure is None, failure
    printed = nbformat.read(tmp_path / "chapters" / "lone.ipynb", as_version=4).cells[1].outputs[0].text
    assert printed == "x" * 1000 + "\n"


# --- one build at a time -----------------------------------------------------------------------


def test_a_build_waiting_for_the_lock_names_the_holder_and_gives_up(tmp_path, monkeypatch):
    """The lock held by this process (as a build stopped with SIGSTOP would hold it)."""
    monkeypatch.setattr(book, "BUILD", tmp_path / "_build")
    with book.one_build_at_a_time():
        waiting = subprocess.run(
            [sys.executable, "-m", "nhsreport.pipeline.book"],
            env=dict(os.environ, NHSREPORT_ROOT=str(tmp_path), NHSREPORT_LOCK_TIMEOUT="1"),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert waiting.returncode == 1
    assert f"process {os.getpid()} holds _build/.build.lock" in waiting.stdout
    assert f"gave up after 1 s waiting for another build of this project (process {os.getpid()}" in (
        waiting.stderr
    ), waiting.stderr
    assert "NHSREPORT_LOCK_TIMEOUT" in waiting.stderr


# --- limits kept by the build ------------------------------------------------------------------


#: The whole-build time limits tried, shortest first: a run proves something only if the chapter
#: was sleeping before its limit came (the marker is the event), which on a loaded machine may
#: take longer than the first limit allows; then the next limit is tried (each try costs a build's
#: start, so the first leaves a margin over the few seconds the chapter takes to sleep when idle).
TIME_LIMITS = (12, 24, 48, 96)


def past_the_time_limit(root, marker, seconds):
    """Run `make book` with a whole-build limit of ``seconds``; return (its error output, the
    processes it had started once the chapter slept), or None if it stopped before that."""
    marker.unlink(missing_ok=True)
    build = subprocess.Popen(
        [sys.executable, "-m", "nhsreport.pipeline.book"],
        env=dict(environment(root), NHSREPORT_BUILD_TIMEOUT=str(seconds)),
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        slept = sleeping_before_the_end(marker, build)
        children = descendants(build.pid) if slept else []
        slept = slept and build.poll() is None  # its processes were listed while it still ran
        _, err = build.communicate(timeout=300)
    finally:
        build.kill()
    assert build.returncode == 1
    assert f"the build ran past its time limit of {seconds} s (NHSREPORT_BUILD_TIMEOUT)" in err, err[-3000:]
    return (err, children) if slept else None


def sleeping_before_the_end(marker, process, timeout=300):
    """Whether ``marker`` appeared (the chapter sleeps) before ``process`` ended."""
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if process.poll() is not None:
            return marker.exists()
        assert time.monotonic() < deadline, f"{marker.name} never appeared"
        time.sleep(0.05)
    return process.poll() is None


def test_a_build_past_its_time_limit_kills_its_kernels_and_names_the_limit(small_book, tmp_path):
    root = small_book
    marker = tmp_path / "sleeping"
    prepend_cell(root, "who_was_studied", sleeping_cell(marker))
    for seconds in TIME_LIMITS:
        ran = past_the_time_limit(root, marker, seconds)
        if ran:
            break
    else:
        pytest.fail(f"the chapter never slept before the build's time limit, up to {seconds} s")
    _, children = ran
    assert ended(int(marker.read_text())), "the sleeping chapter's kernel is still running"
    assert children and none_left(children), "a process the build started is still running"


def prose_over_the_budget(site, page):
    """A paragraph that takes ``page`` of a built ``site`` over the page-weight budget, by a
    fiftieth of the budget: prose, so that no chapter runs (the text alone makes the page heavy)."""
    lacking = book.MAX_PAGE_BYTES - book.page_weight(site / page, site)
    word = "word "
    return "\n" + word * ((max(lacking, 0) + book.MAX_PAGE_BYTES // 50) // len(word)) + "\n"


def test_a_page_over_the_weight_budget_fails_the_build_and_is_named(small_book):
    root = small_book
    site = {str(p.relative_to(root)): p.read_bytes() for p in (root / "_build" / "html").rglob("*.html")}
    heavy = prose_over_the_budget(root / "_build" / "html", "chapters/who_was_studied.html")
    append_line(root / "chapters" / "who_was_studied.md", heavy)
    result = run_book(root).result
    assert result.returncode == 1, result.stdout[-2000:]
    assert "chapters/who_was_studied.html weighs" in result.stderr, result.stderr[-3000:]
    assert f"over the budget of {book.MAX_PAGE_BYTES} bytes" in result.stderr
    assert {
        str(p.relative_to(root)): p.read_bytes() for p in (root / "_build" / "html").rglob("*.html")
    } == site


def test_the_page_weight_counts_the_page_and_the_site_files_it_loads(tmp_path):
    site = tmp_path / "html"
    (site / "_static").mkdir(parents=True)
    (site / "chapters").mkdir()
    half = book.MAX_PAGE_BYTES // 2
    (site / "_static" / "style.css").write_bytes(b"a" * half)
    (site / "_static" / "picture.png").write_bytes(b"b" * half)
    (site / "index.html").write_text('<link rel="stylesheet" href="_static/style.css">')
    (site / "chapters" / "heavy.html").write_text(
        '<link rel="stylesheet" href="../_static/style.css?v=1"><img src="../_static/picture.png">'
        '<a href="../_static/picture.png">a link is not loaded</a><img src="https://example.org/x.png">'
    )
    assert book.page_weight(site / "index.html", site) < book.MAX_PAGE_BYTES
    assert [line.split(" weighs")[0] for line in book.overweight_pages(site)] == ["chapters/heavy.html"]


def test_the_browser_test_and_the_build_share_one_budget():
    browser_test = (Path(__file__).parent / "test_browser.py").read_text(encoding="utf-8")
    assert "from nhsreport.pipeline.book import MAX_PAGE_BYTES" in browser_test
    assert "1024 * 1024" not in browser_test


def test_the_limits_have_defaults_that_the_environment_overrides(monkeypatch):
    for name in execute.LIMITS:
        monkeypatch.delenv(name, raising=False)
    assert execute.limit("NHSREPORT_BUILD_TIMEOUT") == 1800
    monkeypatch.setenv("NHSREPORT_BUILD_TIMEOUT", "5")
    assert execute.Deadline().seconds == 5.0
