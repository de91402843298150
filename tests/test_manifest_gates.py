"""An appendix may start before the chapters finish, but never reads a manifest half made.

The build holds one gate per wave of appendices until every notebook before that wave has
recorded its outputs; an appendix's read of ``figures/manifest.json`` waits at its gate. If the
build stops, the gates open with a note and the waiting appendix stops too.
"""

import threading
import time

import pytest

from nhsreport.build.execute import ManifestGates, appendices_to_start
from nhsreport.data import reads


def read_in_background(monkeypatch, gate):
    """Start reading the manifest through ``gate``; return the thread and what it got."""
    monkeypatch.setenv(reads.GATE_VARIABLE, str(gate))
    outcome = {}

    def read():
        try:
            reads.wait_until_manifest_complete()
            outcome["read at"] = time.monotonic()
        except reads.BuildStopped as stopped:
            outcome["stopped"] = str(stopped)

    thread = threading.Thread(target=read)
    thread.start()
    return thread, outcome


def test_an_appendix_reads_the_manifest_only_once_its_gate_opens(monkeypatch):
    with ManifestGates(3) as gates:
        thread, outcome = read_in_background(monkeypatch, gates.path(2))
        gates.open(1)  # the first appendix's gate: not this one's
        thread.join(0.5)
        assert thread.is_alive() and not outcome
        opened = time.monotonic()
        gates.open(2)
        thread.join(5)
        assert outcome["read at"] >= opened


def test_an_appendix_waiting_when_the_build_stops_stops_too(monkeypatch):
    with ManifestGates(2) as gates:
        thread, outcome = read_in_background(monkeypatch, gates.path(1))
        thread.join(0.3)
        gates.abandon()
        thread.join(5)
    assert "build stopped" in outcome["stopped"]


def test_outside_the_build_the_manifest_is_read_at_once(monkeypatch):
    monkeypatch.delenv(reads.GATE_VARIABLE, raising=False)
    reads.wait_until_manifest_complete()


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
