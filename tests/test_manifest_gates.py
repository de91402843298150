"""An appendix may start before the chapters finish, but never reads a manifest half made.

The build holds one gate per wave of appendices until every notebook before that wave has
recorded its outputs; an appendix's read of ``figures/manifest.json`` waits at its gate. If the
build stops, the gates open with a note and the waiting appendix stops too.
"""

import logging
import threading
import time

import pytest

from nhsreport.data import reads
from nhsreport.pipeline.execute import ManifestGates, appendices_to_start, waves

#: Seconds any wait below may take before the test fails: generous, never a sleep.
WAIT = 30


class RefusedAttempts(logging.Handler):
    """An event set each time filelock reports that it found one lock file held (it logs every
    refused attempt): proof that a reader is waiting at that gate, not merely started."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lock_file, self.refused = None, threading.Event()

    def emit(self, record):
        if "not acquired" in record.getMessage() and str(self.lock_file) in record.getMessage():
            self.refused.set()

    def waiting_at(self, gate):
        """Whether a reader is (still) waiting at ``gate``: the next refused attempt, from now."""
        self.lock_file = gate
        self.refused.clear()
        return self.refused.wait(WAIT)


@pytest.fixture
def attempts():
    logger = logging.getLogger("filelock")
    handler, level = RefusedAttempts(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def read_in_background(monkeypatch, gate):
    """Start reading the manifest through ``gate`` (None: outside a build); return the thread and
    what it got. A daemon thread: a broken gate fails the test, it cannot hang the run."""
    if gate is None:
        monkeypatch.delenv(reads.GATE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(reads.GATE_VARIABLE, str(gate))
    outcome = {}

    def read():
        try:
            reads.wait_until_manifest_complete()
            outcome["read at"] = time.monotonic()
        except reads.BuildStopped as stopped:
            outcome["stopped"] = str(stopped)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, outcome


def finished(thread):
    thread.join(WAIT)
    return not thread.is_alive()


def test_an_appendix_reads_the_manifest_only_once_its_gate_opens(monkeypatch, attempts):
    with ManifestGates(3) as gates:
        thread, outcome = read_in_background(monkeypatch, gates.path(2))
        assert attempts.waiting_at(gates.path(2)), "the reader never found its gate closed"
        gates.open(1)  # the first appendix's gate: not this one's
        assert attempts.waiting_at(gates.path(2)), "the reader stopped waiting when another gate opened"
        assert outcome == {}
        opened = time.monotonic()
        gates.open(2)
        assert finished(thread), f"the reader still waits {WAIT} s after its gate opened"
        assert outcome["read at"] >= opened


def test_an_appendix_waiting_when_the_build_stops_stops_too(monkeypatch, attempts):
    with ManifestGates(2) as gates:
        thread, outcome = read_in_background(monkeypatch, gates.path(1))
        assert attempts.waiting_at(gates.path(1)), "the reader never found its gate closed"
        gates.abandon()
        assert finished(thread), f"the reader still waits {WAIT} s after the build stopped"
    assert "build stopped" in outcome["stopped"]


def test_outside_the_build_the_manifest_is_read_at_once(monkeypatch):
    thread, outcome = read_in_background(monkeypatch, None)
    assert finished(thread), "the reader waited for a gate although no build named one"
    assert list(outcome) == ["read at"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_gates_leave_nothing_behind(count):
    with ManifestGates(count) as gates:
        folder = gates.folder
    assert not folder.exists()


def test_an_appendix_starts_as_soon_as_it_is_known_to_be_stale():
    """With the chapters: one whose own inputs changed. Once the chapters have changed the
    manifest: the figures catalogue, while the appendix before it is still running."""
    planned = [["chapter"], ["appendix"], ["catalogue"]]
    assert appendices_to_start(planned, 0, {"chapter"}, {"appendix"}.__contains__) == [("appendix", 1)]
    started, stale = {"chapter", "appendix"}, {"appendix", "catalogue"}
    assert appendices_to_start(planned, 1, started, stale.__contains__) == [("catalogue", 2)]
    assert appendices_to_start(planned, 2, started | {"catalogue"}, stale.__contains__) == []


CHAPTER_SOURCE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
{extra}---

# A chapter
"""


def test_a_chapter_that_declares_it_reads_the_manifest_runs_after_the_others_whatever_its_part(tmp_path):
    """Which chapters wait for the manifest is data (each one's front matter), not a part's caption."""
    first, describer, last = (tmp_path / f"{name}.md" for name in ("first", "describer", "last"))
    first.write_text(CHAPTER_SOURCE.format(extra=""), encoding="utf-8")
    describer.write_text(
        CHAPTER_SOURCE.format(extra="nhsreport:\n  reads_manifest: true\n"), encoding="utf-8"
    )
    last.write_text(CHAPTER_SOURCE.format(extra="nhsreport:\n  reads_manifest: false\n"), encoding="utf-8")
    assert waves([first, describer, last]) == [[first, last], [describer]]


def test_the_book_s_two_appendices_are_the_chapters_that_read_the_manifest():
    from nhsreport.contents import chapter_sources

    planned = waves(chapter_sources())
    assert [[s.stem for s in wave] for wave in planned[1:]] == [
        ["appendix_reproducibility"],
        ["figures_and_tables"],
    ]
