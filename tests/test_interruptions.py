"""Two builds started together agree; a build interrupted halfway stops at once, kills its
kernels and changes nothing; a chapter that fails stops the chapters beside it at once (on the
small book, see projectcopy; a module of its own so it can run beside the other build tests).
Each waits for an event (a chapter writes a file once it is sleeping), never for a fixed time."""

import signal
import subprocess
import sys

from projectcopy import (
    CHAPTER_HEADER,
    code_cell,
    descendants,
    ended,
    environment,
    none_left,
    prepend_cell,
    rehash,
    run_book,
    run_executor,
    set_first_cell,
    sleeping_cell,
    tracked_outputs,
    wait_for_file,
)

#: Seconds a stopped build may take to exit: generous, and far below the sleeping chapter's 600 s.
EXIT_TIMEOUT = 120


def ctrl_c_as_in_a_terminal():
    """Ctrl-C at its default, as a terminal gives it: a process started in the background by a
    shell inherits it ignored, and so would the build (whatever runs these tests)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_book(root):
    return subprocess.Popen(
        [sys.executable, "-m", "nhsreport.pipeline.book"],
        env=environment(root),
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )


def test_two_builds_started_together_both_succeed_and_agree(small_book):
    project = small_book
    set_first_cell("tenure.csv", "mean_years", "5.5")(project)
    rehash(project)
    builds = [start_book(project), start_book(project)]
    results = [build.communicate(timeout=900) for build in builds]
    assert [b.returncode for b in builds] == [0, 0], results
    after = tracked_outputs(project)
    assert run_executor(project).executed == []  # nothing left stale
    assert tracked_outputs(project) == after


def test_an_interrupted_build_stops_at_once_kills_its_kernels_and_changes_nothing(small_book, tmp_path):
    project = small_book
    before = tracked_outputs(project)
    chapter = project / "chapters" / "who_was_studied.md"
    text = chapter.read_text(encoding="utf-8")
    marker = tmp_path / "sleeping"
    prepend_cell(project, "who_was_studied", sleeping_cell(marker))
    build = start_book(project)
    try:
        wait_for_file(marker, build)  # the chapter is sleeping: interrupt
        children = descendants(build.pid)
        build.send_signal(signal.SIGINT)
        out, err = build.communicate(timeout=EXIT_TIMEOUT)
    finally:
        build.kill()
    assert build.returncode == 130, f"the interrupted build did not say so:\n{out[-2000:]}\n{err[-3000:]}"
    assert "interrupted: every running kernel was killed" in err
    assert ended(int(marker.read_text())), "the sleeping chapter's kernel is still running"
    assert children and none_left(children), "a process the build started is still running"
    assert tracked_outputs(project) == before
    chapter.write_text(text, encoding="utf-8")
    set_first_cell("tenure.csv", "mean_years", "5.5")(project)
    rehash(project)
    assert run_book(project).result.returncode == 0
    assert tracked_outputs(project) != before


WAITS_THEN_FAILS = """
import pathlib, time
deadline = time.monotonic() + 300
while not pathlib.Path({marker!r}).exists() and time.monotonic() < deadline:
    time.sleep(0.05)
raise RuntimeError("this chapter fails while another one sleeps")
"""


def test_a_failing_chapter_stops_the_build_at_once_and_kills_the_chapter_beside_it(small_book, tmp_path):
    project = small_book
    before = tracked_outputs(project)
    marker = tmp_path / "sleeping"
    toc = project / "_toc.yml"
    toc.write_text(
        toc.read_text().replace(
            "      - file: chapters/who_was_studied\n",
            "      - file: chapters/who_was_studied\n      - file: chapters/sleeper\n",
        )
    )
    (project / "chapters" / "sleeper.md").write_text(CHAPTER_HEADER + code_cell(sleeping_cell(marker)))
    # First, so the chapter fails without drawing its figures first (it would draw them as they are).
    prepend_cell(project, "who_was_studied", WAITS_THEN_FAILS.format(marker=str(marker)))
    build = start_book(project)
    try:
        out, err = build.communicate(timeout=EXIT_TIMEOUT)
    finally:
        build.kill()
    assert build.returncode == 1, out[-2000:]
    assert (
        "chapters/who_was_studied.md failed: RuntimeError: this chapter fails while another one sleeps" in err
    )
    assert marker.exists(), "the sleeper never slept: the test proves nothing"
    assert ended(int(marker.read_text())), "the sleeping chapter's kernel is still running"
    assert {k: v for k, v in tracked_outputs(project).items() if "sleeper" not in k} == before
