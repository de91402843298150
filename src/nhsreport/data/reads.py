"""The one record of what a notebook depends on: the data it read and the package code it ran.

Every read of a data resource (through :class:`~nhsreport.data.load.Dataset`) and of the figures
manifest goes through :func:`record_read`; every figure or table a chapter saves goes through
:func:`record_output`, with the data read so far. When the build runs a notebook it names a log
file in ``NHSREPORT_ACCESS_LOG``; each event is appended there as one JSON line, together with
the project modules imported so far, so the build knows exactly which data files and which
modules each notebook (and each output) depends on.

The build may start an appendix while the chapters still run. It then names a lock file in
``NHSREPORT_MANIFEST_GATE`` and holds it until every notebook before the appendix has recorded
its outputs; :func:`read_manifest` waits for it, so an appendix never sees a manifest half made.
"""

import json
import os
import sys
from pathlib import Path

from filelock import FileLock

from .. import paths

MANIFEST = "manifest.json"
LOG_VARIABLE = "NHSREPORT_ACCESS_LOG"
GATE_VARIABLE = "NHSREPORT_MANIFEST_GATE"
#: Build machinery never changes what a notebook computes, so it is no notebook's input.
NOT_INPUTS = ("nhsreport.build",)

_read = set()


def imported_modules():
    """Names of the project's modules loaded in this process (build machinery left out)."""
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if name.startswith("nhsreport")
        and getattr(module, "__file__", None)
        and not name.startswith(NOT_INPUTS)
    )


def _log(event):
    log = os.environ.get(LOG_VARIABLE)
    if log:
        event["modules"] = imported_modules()
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event, sort_keys=True) + "\n")


def record_read(name):
    """Note that this process read a data resource (by name) or the figures manifest."""
    if name not in _read:
        _read.add(name)
        _log({"read": name})


def reads():
    """Everything read so far in this process."""
    return sorted(_read)


def record_output(entry):
    """Note a figure or table this process saved (label, kind, caption, files, data read)."""
    _log({"output": entry})


class BuildStopped(RuntimeError):
    """The build gave up on this notebook while it waited for the manifest."""


def stopped_note(gate):
    """The file beside a gate in which the build says why it gave up (see BuildStopped)."""
    return Path(f"{gate}.stopped")


def wait_until_manifest_complete():
    """Block while the build still holds this notebook's gate (see the module docstring)."""
    gate = os.environ.get(GATE_VARIABLE)
    if gate:
        with FileLock(gate):  # a portable lock: fcntl exists on no Windows
            pass
        note = stopped_note(gate)
        if note.exists():
            raise BuildStopped(note.read_text(encoding="utf-8"))


def read_manifest(folder=None):
    """``figures/manifest.json``: what made each figure and table (a recorded read)."""
    wait_until_manifest_complete()
    record_read(MANIFEST)
    path = (folder or paths.FIGURES_DIR) / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def read_log(path):
    """The events of one access log: (resources and manifest read, modules imported, outputs)."""
    read, modules, outputs = set(), set(), []
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    for line in text.splitlines():
        event = json.loads(line)
        modules.update(event.get("modules", []))
        if "read" in event:
            read.add(event["read"])
        if "output" in event:
            outputs.append(event["output"])
    return read, modules, outputs
