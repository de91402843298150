"""Two builds started together agree, and a build interrupted halfway changes nothing (on the
small book, see projectcopy; a module of its own so it can run beside the other build tests)."""

import signal
import subprocess
import sys
import time

from projectcopy import environment, rehash, run_book, run_executor, set_first_cell, tracked_outputs


def ctrl_c_as_in_a_terminal():
    """Ctrl-C at its default, as a terminal gives it: a process started in the background by a
    shell inherits it ignored, and so would the build (whatever runs these tests)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_book(root):
    return subprocess.Popen(
        [sys.executable, "-m", "nhsreport.build.book"],
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


def test_an_interrupted_build_changes_nothing_and_the_next_build_succeeds(small_book):
    project = small_book
    before = tracked_outputs(project)
    set_first_cell("tenure.csv", "mean_years", "5.5")(project)
    rehash(project)
    build = start_book(project)
    for line in build.stdout:  # wait until a chapter is executing, then interrupt
        if line.startswith("executing "):
            time.sleep(1)
            build.send_signal(signal.SIGINT)
            break
    out, err = build.communicate(timeout=300)
    assert build.returncode != 0, f"the interrupted build succeeded:\n{out[-2000:]}\n{err[-3000:]}"
    assert tracked_outputs(project) == before
    assert run_book(project).result.returncode == 0
    assert tracked_outputs(project) != before
